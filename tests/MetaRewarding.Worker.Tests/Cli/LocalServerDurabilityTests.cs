using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MetaRewarding.TestSupport;
using MetaRewarding.Worker.Cli;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Worker;
using Temporalio.Workflows;

namespace MetaRewarding.Worker.Tests.Cli;

/// <summary>
/// `metarewarding local-server --db-filename FILE` as a user runs it, a separate process: SIGKILLed between two sets of
/// SDK scenarios, started again with the same command, and every workflow goes on where it was; and the clear errors
/// for an unusable database file or a port in use.
/// </summary>
public sealed class LocalServerDurabilityTests : IDisposable
{
    private readonly TemporaryFolder folder = new("mr-local-server-");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task KilledWithSigkill_SameCommandAgain_EveryWorkflowGoesOn()
    {
        var port = LoopbackPort.Free();
        var database = folder.Combine("state", "temporal.db");
        var queue = "durable-" + Guid.NewGuid().ToString("N")[..8];
        using (var server = await ServerProcess.StartAsync(port, database))
        {
            var client = await ConnectAsync(port);
            await WithWorkerAsync(client, queue, async () =>
            {
                var waiting = await client.StartWorkflowAsync((CollectWorkflow w) => w.RunAsync(), new("waiting", queue));
                await waiting.SignalAsync(w => w.AddAsync("before the kill"));
                await client.ExecuteWorkflowAsync((SleepWorkflow w) => w.RunAsync(1), new("finished", queue));
                await client.StartWorkflowAsync((SleepWorkflow w) => w.RunAsync(3), new("sleeping", queue));
                await WaitUntilAsync(async () => (await client.GetWorkflowHandle("sleeping").FetchHistoryAsync()).Events.Any(e => e.EventType == EventType.TimerStarted));
                await WaitUntilAsync(async () => (await waiting.QueryAsync(w => w.Items())).Count == 1);
            });
            server.Kill();
        }
        using (var again = await ServerProcess.StartAsync(port, database))
        {
            Assert.Contains("still open and resumed", again.Output, StringComparison.Ordinal);
            var client = await ConnectAsync(port);
            await WithWorkerAsync(client, queue, async () =>
            {
                Assert.Equal(WorkflowExecutionStatus.Completed, (await client.GetWorkflowHandle("finished").DescribeAsync()).Status);
                Assert.Equal(3, await client.GetWorkflowHandle<SleepWorkflow, int>("sleeping").GetResultAsync().WaitAsync(TimeSpan.FromSeconds(60)));
                var waiting = client.GetWorkflowHandle<CollectWorkflow, string>("waiting");
                await waiting.SignalAsync(w => w.AddAsync("after"));
                await waiting.SignalAsync(w => w.FinishAsync());
                Assert.Equal("before the kill,after", await waiting.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(60)));
                Assert.Equal(1, await client.ExecuteWorkflowAsync((SleepWorkflow w) => w.RunAsync(1), new("new-after-restart", queue)));
            });
        }
    }

    [Fact]
    public async Task DatabaseFileInUse_IsExit3NamingIt()
    {
        var database = folder.Combine("temporal.db");
        using var first = await ServerProcess.StartAsync(LoopbackPort.Free(), database);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await LocalServerCommand.ServeAsync(0, null, "default", database, stdout, stderr, CancellationToken.None);
        Assert.Equal(LocalServerCommand.ExitUnusableDatabase, code);
        Assert.Contains($"database file {database} is in use by another process", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptDatabaseFile_IsExit3AndLeftAsItWas()
    {
        var database = folder.Write("temporal.db", "this is not a SQLite database, and must not be replaced by one");
        var before = await File.ReadAllBytesAsync(database);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await LocalServerCommand.ServeAsync(0, null, "default", database, stdout, stderr, CancellationToken.None);
        Assert.Equal(LocalServerCommand.ExitUnusableDatabase, code);
        Assert.Contains("is corrupt or not a SQLite database", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(database));
    }

    [Fact]
    public async Task PortInUse_IsExit1NamingThePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await LocalServerCommand.ServeAsync(port, null, "default", folder.Combine("temporal.db"), stdout, stderr, CancellationToken.None);
        Assert.Equal(LocalServerCommand.ExitCannotListen, code);
        Assert.Contains($"127.0.0.1:{port}", stderr.ToString(), StringComparison.Ordinal);
    }

    private static Task<TemporalClient> ConnectAsync(int port) => TemporalClient.ConnectAsync(new TemporalClientConnectOptions($"127.0.0.1:{port}"));

    private static async Task WithWorkerAsync(TemporalClient client, string queue, Func<Task> test)
    {
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue) { GracefulShutdownTimeout = TimeSpan.Zero }
            .AddWorkflow<CollectWorkflow>().AddWorkflow<SleepWorkflow>());
        await worker.ExecuteAsync(test);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 60 s");
            await Task.Delay(50);
        }
    }

    /// <summary>`dotnet metarewarding.dll local-server --port P --headless --db-filename FILE`; Kill is SIGKILL.</summary>
    private sealed class ServerProcess : IDisposable
    {
        private readonly Process process;
        private readonly StringBuilder output = new();

        private ServerProcess(Process process) => this.process = process;

        public string Output
        {
            get
            {
                lock (output)
                {
                    return output.ToString();
                }
            }
        }

        public static async Task<ServerProcess> StartAsync(int port, string database)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { RepositoryPaths.WorkerDll, "local-server", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--headless", "--db-filename", database })
            {
                info.ArgumentList.Add(argument);
            }
            var server = new ServerProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet"));
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnLine(string? line)
            {
                if (line is null)
                {
                    return;
                }
                lock (server.output)
                {
                    server.output.AppendLine(line);
                }
                if (line.Contains("Connect with:", StringComparison.Ordinal))
                {
                    ready.TrySetResult();
                }
            }
            server.process.OutputDataReceived += (_, e) => OnLine(e.Data);
            server.process.ErrorDataReceived += (_, e) => OnLine(e.Data);
            server.process.BeginOutputReadLine();
            server.process.BeginErrorReadLine();
            var exited = server.process.WaitForExitAsync();
            if (await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromMinutes(2))) != ready.Task)
            {
                server.Kill();
                throw new InvalidOperationException($"local-server did not start:\n{server.Output}");
            }
            return server;
        }

        public void Kill()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
            }
            process.WaitForExit();
        }

        public void Dispose()
        {
            Kill();
            process.Dispose();
        }
    }
}

/// <summary>Collects signalled items until told to finish; the query shows them.</summary>
[Workflow]
public sealed class CollectWorkflow
{
    private readonly List<string> items = [];
    private bool finished;

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.WaitConditionAsync(() => finished);
        return string.Join(",", items);
    }

    [WorkflowQuery]
    public IReadOnlyList<string> Items() => items;

    [WorkflowSignal]
    public Task AddAsync(string item)
    {
        items.Add(item);
        return Task.CompletedTask;
    }

    [WorkflowSignal]
    public Task FinishAsync()
    {
        finished = true;
        return Task.CompletedTask;
    }
}

/// <summary>Sleeps a few seconds on a durable timer, then returns them.</summary>
[Workflow]
public sealed class SleepWorkflow
{
    // The SDK requires the run method to be an instance member.
#pragma warning disable CA1822
    [WorkflowRun]
    public async Task<int> RunAsync(int seconds)
    {
        await Workflow.DelayAsync(TimeSpan.FromSeconds(seconds));
        return seconds;
    }
#pragma warning restore CA1822
}
