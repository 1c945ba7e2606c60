using System.Diagnostics;
using System.Globalization;
using MetaRewarding.InMemoryTemporal;
using MetaRewarding.InMemoryTemporal.Benchmarks;
using Temporalio.Client;
using Temporalio.Worker;

// Activity round trips per second through the in-process server: N workflows of M activities each, run
// concurrently by one real TemporalWorker, measured from the first start to the last result. With
// --db-filename FILE the server is durable (every change saved to SQLite): the difference is the store's cost.
var workflows = ReadOption(args, "--workflows", 50);
var activitiesEach = ReadOption(args, "--activities", 20);
var dbIndex = Array.IndexOf(args, "--db-filename");
var database = dbIndex >= 0 && dbIndex + 1 < args.Length ? args[dbIndex + 1] : null;

await using var server = await InMemoryTemporalServer.StartAsync(new InMemoryTemporalServerOptions { DatabaseFile = database });
var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Target) { Namespace = server.Namespace });
Console.WriteLine($"Temporal server {server.Target} ({(database is null ? "in memory" : "durable: " + database)}); {Environment.ProcessorCount} cores; {workflows} workflows x {activitiesEach} activities");

// Warm-up (JIT, connections) is not measured.
await RunAsync("warm-up", parallel: true, 5, 5, print: false);
await RunAsync("sequential (1 workflow task per activity)", parallel: false, workflows, activitiesEach, print: true);
await RunAsync("parallel (activities scheduled together)", parallel: true, workflows, activitiesEach, print: true);

async Task RunAsync(string label, bool parallel, int count, int each, bool print)
{
    var queue = "bench-" + Guid.NewGuid().ToString("N");
    var options = new TemporalWorkerOptions(queue)
    {
        MaxConcurrentActivities = 200,
        MaxConcurrentWorkflowTasks = 200,
        GracefulShutdownTimeout = TimeSpan.Zero,
    }.AddWorkflow<SequentialActivitiesWorkflow>().AddWorkflow<ParallelActivitiesWorkflow>().AddAllActivities(typeof(BenchmarkActivities), null);
    using var worker = new TemporalWorker(client, options);
    await worker.ExecuteAsync(async () =>
    {
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var id = $"{queue}-{i}";
            return parallel
                ? await client.ExecuteWorkflowAsync((ParallelActivitiesWorkflow w) => w.RunAsync(each), new(id, queue))
                : await client.ExecuteWorkflowAsync((SequentialActivitiesWorkflow w) => w.RunAsync(each), new(id, queue));
        }));
        clock.Stop();
        if (results.Any(r => r != each))
        {
            throw new InvalidOperationException($"{label}: a workflow returned a wrong count");
        }
        if (print)
        {
            var total = count * each;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}: {total} activities in {clock.Elapsed.TotalSeconds:F2} s = {total / clock.Elapsed.TotalSeconds:F0} activity round trips/s"));
        }
    });
}

static int ReadOption(string[] args, string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    if (index < 0)
    {
        return fallback;
    }
    return index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
        ? value
        : throw new ArgumentException($"{name} needs a positive integer, e.g. {name} {fallback}");
}
