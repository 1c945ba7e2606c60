using System.CommandLine;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Reports;
using MetaRewarding.Activities.Run;
using MetaRewarding.Worker.Hosting;
using MetaRewarding.Worker.Runs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Temporalio.Client;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding demo [--out DIR] [--ui-port 8233] [--temporal HOST:PORT] [--namespace NS]</c>: the whole system on one machine.
/// Starts a server as <see cref="TemporalServerResolver"/> decides (here: in-process), a worker on both queues in
/// this process, and two sandbox runs of the embedded <c>demo.run.json</c> side by side: the model judging itself
/// (Meta-Rewarding) and the oracle control (ground-truth judge). Prints their links in the Temporal Web UI (the
/// in-process server serves it on <c>--ui-port</c>), shows their progress, then prints both report
/// tables; the reports and plots are in <c>{out}/runs/{id}/</c>. Exit codes: 0 both runs completed; 1 a run
/// failed or the server could not start; 2 the embedded run file is invalid (a build problem).
/// </summary>
internal static class DemoCommand
{
    public const int ExitCompleted = 0;
    public const int ExitFailed = 1;
    public const int ExitInvalidRunFile = 2;
    public const string ResourceName = "MetaRewarding.Worker.demo.run.json";

    /// <summary>How the demo's run ids begin (demo-{UTC time}); a demo run again continues the open runs of this prefix.</summary>
    public const string IdPrefix = "demo-";

    public static Command Create()
    {
        var output = new Option<string?>("--out") { Description = "Artifact store root; run folders go to DIR/runs/{id} (default: the current folder).", HelpName = "DIR" };
        var uiPort = new Option<int?>("--ui-port") { Description = "Port of the in-process server's Temporal Web UI on localhost (default 8233; 0 picks a free one).", HelpName = "PORT" };
        var connection = new ConnectionOptions();
        var command = new Command("demo", "Run the offline sandbox demo: Meta-Rewarding and the oracle control side by side, then their reports. Exit codes: 0 completed, 1 failed, 2 invalid embedded run file.");
        command.Options.Add(output);
        command.Options.Add(uiPort);
        connection.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var store = Path.GetFullPath(parse.GetValue(output) ?? ".");
            // The in-process server takes any free port unless configured: the demo must not collide with a
            // `metarewarding worker` or dev server on 7233. Two model-activity slots: the two runs' seed SFTs train
            // side by side (one torch thread each on cpu) instead of one after the other.
            var configuration = connection.Configuration(parse, [
                new("Worker:Artifacts", store), new("Worker:Queues", "cpu,gpu"), new("Worker:ModelActivitySlots", "2"),
                new("Temporal:UiPort", parse.GetValue(uiPort)?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("Temporal:DatabaseFile", DatabaseFile(store))]);
            return RunAsync(DemoRunFile(store), configuration, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, null, ct);
        });
        return command;
    }

    /// <summary>
    /// Where the demo's in-process server keeps its state: in the output folder, so `demo --out DIR` run again (after
    /// Ctrl+C, a crash, a kill -9) continues the unfinished runs (<see cref="RunResumer"/>) instead of starting new ones.
    /// </summary>
    public static string DatabaseFile(string outputFolder) => Path.Combine(outputFolder, "temporal.db");

    /// <summary>The embedded demo run file (relative paths, if any, resolve against <paramref name="baseDirectory"/>).</summary>
    public static RunFile DemoRunFile(string baseDirectory)
    {
        using var stream = typeof(DemoCommand).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from the executable; rebuild it");
        using var reader = new StreamReader(stream);
        return RunFile.Parse(reader.ReadToEnd(), "demo.run.json (embedded)", baseDirectory);
    }

    /// <summary>
    /// Runs the demo of <paramref name="runFile"/>: the model-judged run and its oracle control. Tests pass their
    /// own activity doubles through <paramref name="services"/>.
    /// </summary>
    public static Task<int> RunAsync(
        RunFile runFile, IConfiguration configuration, TextWriter stdout, TextWriter stderr, Action<IServiceCollection>? services, CancellationToken ct) =>
        RunAsync(runFile, configuration, stdout, stderr, services, Environment.GetEnvironmentVariable("PATH"), ct);

    /// <summary>
    /// The same, with the <c>PATH</c> the server resolver searches for the <c>temporal</c> CLI given
    /// (<see cref="TemporalServerResolver"/>): a test passes an empty one to get the in-process server on any machine.
    /// </summary>
    public static async Task<int> RunAsync(
        RunFile runFile,
        IConfiguration configuration,
        TextWriter stdout,
        TextWriter stderr,
        Action<IServiceCollection>? services,
        string? pathVariable,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runFile);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var settings = MetaRewardingConfiguration.Worker(configuration);
        var id = RunStarter.DefaultId(DateTime.UtcNow).Replace("metarewarding-", IdPrefix, StringComparison.Ordinal);
        var queues = settings.TaskQueues;
        RunInput[] runs =
        [
            runFile.ToRunInput(id) with { JudgeMode = JudgeMode.Model, TaskQueues = queues },
            runFile.ToRunInput(id + "-oracle") with { JudgeMode = JudgeMode.Oracle, TaskQueues = queues },
        ];
        var errors = runs.SelectMany(RunInputValidator.Validate).Distinct().ToList();
        if (errors.Count > 0)
        {
            errors.ForEach(stderr.WriteLine);
            return ExitInvalidRunFile;
        }

        var temporal = MetaRewardingConfiguration.Temporal(configuration);
        if (configuration["Temporal:LocalPort"] is null or "7233")
        {
            temporal.LocalPort = 0;
        }

        var choice = TemporalServerResolver.Resolve(temporal, pathVariable);
        LocalTemporalServer server;
        try
        {
            server = await LocalTemporalServer.StartAsync(choice, temporal, stderr, ct);
        }
        catch (InvalidOperationException e)
        {
            await stderr.WriteLineAsync($"cannot start a Temporal server: {e.Message}");
            return ExitFailed;
        }

        await using (server)
        {
            var client = await TemporalClientFactory.ConnectAsync(server.Address, temporal);
            await SearchAttributeRegistration.TryRegisterAsync(client, stderr);
            using var host = WorkerHost.Build(configuration, client, services);
            await host.StartAsync(ct);
            try
            {
                var (handles, resumed) = await RunResumer.ResumeOrStartAsync(client, runs, IdPrefix);
                await stdout.WriteLineAsync(resumed
                    ? $"Demo on {server.Address}: continuing {string.Join(" and ", handles.Select(h => h.Id))} from where they stopped; artifacts in {Path.GetFullPath(settings.Artifacts)}"
                    : $"Demo on {server.Address}: {runs[0].RunId} (the model judges itself) and {runs[1].RunId} (oracle control); artifacts in {Path.GetFullPath(settings.Artifacts)}");
                foreach (var handle in handles)
                {
                    if (server.UiUrl is { } ui)
                    {
                        await stdout.WriteLineAsync($"  {handle.Id} in the Temporal UI: {WebUiLinks.ToWorkflow(ui, temporal.Namespace, handle.Id)}");
                    }
                }

                var outcome = await WatchAsync(client, handles, stdout, stderr, ct);
                PrintReports(handles, outcome, settings.Artifacts, stdout);
                return outcome.All(o => o is not null) ? ExitCompleted : ExitFailed;
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>Prints a line whenever a run's progress changes, until both close; their results (null: failed).</summary>
    private static async Task<RunSummary?[]> WatchAsync(
        ITemporalClient client, List<WorkflowHandle<Workflows.RunWorkflow, RunSummary>> handles, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var results = handles.Select(h => h.GetResultAsync()).ToArray();
        var last = new string?[handles.Count];
        while (!results.All(r => r.IsCompleted))
        {
            for (var i = 0; i < handles.Count; i++)
            {
                if (results[i].IsCompleted)
                {
                    continue;
                }

                var snapshot = await RunProgressReader.ReadAsync(client, handles[i].Id, ct);
                var line = snapshot.Run is null ? null : ProgressView.Render(handles[i].Id, snapshot.StatusText, snapshot.Run, snapshot.Iteration);
                if (line is not null && line != last[i])
                {
                    await stdout.WriteAsync(line);
                    last[i] = line;
                }
            }

            await Task.WhenAny(Task.WhenAll(results), Task.Delay(TimeSpan.FromSeconds(2), ct));
        }

        var outcome = new RunSummary?[handles.Count];
        for (var i = 0; i < handles.Count; i++)
        {
            try
            {
                outcome[i] = await results[i];
            }
            catch (Temporalio.Exceptions.WorkflowFailedException e)
            {
                await stderr.WriteLineAsync($"{handles[i].Id} failed: {StatusCommand.Causes(e)}");
            }
        }

        return outcome;
    }

    private static void PrintReports(List<WorkflowHandle<Workflows.RunWorkflow, RunSummary>> handles, RunSummary?[] outcome, string artifacts, TextWriter stdout)
    {
        var store = new ArtifactStore(artifacts);
        for (var i = 0; i < handles.Count; i++)
        {
            if (outcome[i] is not { } summary)
            {
                continue;
            }

            var path = store.FullPath(summary.Report.Path);
            stdout.WriteLine();
            if (File.Exists(path))
            {
                stdout.Write(ReportTable.Render(RunReportJson.Read(path)));
                stdout.WriteLine($"Report: {path}; plots in {Path.Combine(Path.GetDirectoryName(path)!, "plots")}");
            }
            else
            {
                stdout.Write(ProgressView.Result(summary));
                stdout.WriteLine($"(no report file at {path})");
            }
        }
    }
}
