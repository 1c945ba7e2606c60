using MetaRewarding.InMemoryTemporal.Tests.Support;
using MetaRewarding.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Worker;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

/// <summary>
/// The server with a database file (`local-server --db-filename`): stopped and started again on the same file, it goes
/// on with every run where it was. The kill -9 of a server process is in the Worker tests (LocalServerDurabilityTests).
/// </summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly TemporaryFolder folder = new("mr-durable-");

    private string Database => folder.Combine("temporal.db");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Restart_WorkflowWaitingForSignals_ContinuesWithItsHistoryAndVisibility()
    {
        var queue = ServerFixture.NewTaskQueue();
        string id;
        int eventsBefore;
        await using (var first = await StartAsync())
        {
            var client = await ConnectAsync(first);
            var handle = await client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new("durable-" + queue, queue)
            {
                Memo = new Dictionary<string, object> { ["purpose"] = "durability" },
            });
            id = handle.Id;
            await RunWorkerUntilAsync(client, queue, async () =>
            {
                await handle.SignalAsync(w => w.AddAsync("a"));
                await WaitForAsync(async () =>
                {
                    var events = (await handle.FetchHistoryAsync()).Events.ToList();
                    var signaled = events.FindIndex(e => e.EventType == EventType.WorkflowExecutionSignaled);
                    return signaled >= 0 && events.Skip(signaled).Any(e => e.EventType == EventType.WorkflowTaskCompleted);
                });
            });
            await handle.SignalAsync(w => w.AddAsync("b")); // recorded with no worker: the restarted server must deliver it
            eventsBefore = (await handle.FetchHistoryAsync()).Events.Count;
        }
        await using var second = await StartAsync();
        Assert.Equal(1, second.RecoveredOpenRuns);
        var again = await ConnectAsync(second);
        var resumed = again.GetWorkflowHandle<SignalQueryWorkflow, string>(id);
        Assert.Equal(eventsBefore, (await resumed.FetchHistoryAsync()).Events.Count);
        var listed = Assert.Single(await again.ListWorkflowsAsync($"WorkflowId = '{id}'").ToListAsync());
        Assert.Equal(WorkflowExecutionStatus.Running, listed.Status);
        Assert.Equal(["purpose"], listed.Memo.Keys);
        await RunWorkerUntilAsync(again, queue, async () =>
        {
            await resumed.SignalAsync(w => w.FinishAsync());
            Assert.Equal("a,b", await resumed.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        });
    }

    [Fact]
    public async Task Restart_TimerKeepsItsDeadline()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var queue = ServerFixture.NewTaskQueue();
        var id = "durable-timer-" + queue;
        await using (var first = await StartAsync(clock))
        {
            var client = await ConnectAsync(first);
            var handle = await client.StartWorkflowAsync((TimerWorkflow w) => w.RunAsync((int)TimeSpan.FromHours(1).TotalMilliseconds), new(id, queue));
            await RunWorkerUntilAsync(client, queue, () =>
                WaitForAsync(async () => (await handle.FetchHistoryAsync()).Events.Any(e => e.EventType == EventType.TimerStarted)));
        }
        clock.Advance(TimeSpan.FromMinutes(40)); // the server was down for 40 minutes
        await using var second = await StartAsync(clock);
        var again = await ConnectAsync(second);
        var handleAgain = again.GetWorkflowHandle<TimerWorkflow, double>(id);
        await RunWorkerUntilAsync(again, queue, async () =>
        {
            var result = handleAgain.GetResultAsync();
            clock.Advance(TimeSpan.FromMinutes(19));
            await Task.Delay(300);
            Assert.False(result.IsCompleted, "the timer fired before its deadline");
            clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(TimeSpan.FromHours(1).TotalMilliseconds, await result.WaitAsync(TimeSpan.FromSeconds(20)));
        });
    }

    [Fact]
    public async Task Restart_WorkersStoppedWithTheServer_RunningActivityIsRetriedAtOnce()
    {
        var queue = ServerFixture.NewTaskQueue();
        var id = "durable-demo-" + queue;
        var gate = new GateActivities();
        var first = await StartAsync(workersStopWithServer: true);
        var client = await ConnectAsync(first);
        await client.StartWorkflowAsync((GateWorkflow w) => w.RunAsync(), new(id, queue));
        var options = new TemporalWorkerOptions(queue) { GracefulShutdownTimeout = TimeSpan.Zero }.AddWorkflow<GateWorkflow>().AddAllActivities(gate);
        using (var worker = new TemporalWorker(client, options))
        {
            // The server stops while the worker runs attempt 1, and the worker never gets to report on it: as when the
            // demo's process (server and worker) is killed.
            await worker.ExecuteAsync(async () =>
            {
                await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
                await first.DisposeAsync();
            });
        }
        await using var second = await StartAsync(workersStopWithServer: true);
        var again = await ConnectAsync(second);
        await RunWorkerUntilAsync(again, queue, async () =>
            Assert.Equal("passed on attempt 2", await again.GetWorkflowHandle<GateWorkflow, string>(id).GetResultAsync().WaitAsync(TimeSpan.FromSeconds(30))),
            new GateActivities());
    }

    [Fact]
    public async Task Restart_StandaloneServer_WorkerStillRunningTheActivityCompletesIt()
    {
        var port = LoopbackPort.Free();
        var queue = ServerFixture.NewTaskQueue();
        var gate = new GateActivities();
        var first = await StartAsync(port: port);
        var client = await ConnectAsync(first);
        var handle = await client.StartWorkflowAsync((GateWorkflow w) => w.RunAsync(), new("durable-alive-" + queue, queue));
        var options = new TemporalWorkerOptions(queue) { GracefulShutdownTimeout = TimeSpan.Zero }.AddWorkflow<GateWorkflow>().AddAllActivities(gate);
        using var worker = new TemporalWorker(client, options);
        await worker.ExecuteAsync(async () =>
        {
            await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await first.DisposeAsync();
            await using var second = await StartAsync(port: port);
            gate.Gate.TrySetResult(); // the worker, alive all along, completes attempt 1 by its task token
            Assert.Equal("passed on attempt 1", await handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        });
    }

    [Fact]
    public async Task Open_FileInUseByAnotherServer_IsRefusedNamingIt()
    {
        await using var first = await StartAsync();
        var ex = await Assert.ThrowsAsync<TemporalDatabaseException>(() => StartAsync());
        Assert.Contains("in use by another process", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Database, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_CorruptFile_IsRefusedAndLeftUntouched()
    {
        var garbage = Enumerable.Range(0, 8192).Select(i => (byte)(i * 31 % 251)).ToArray();
        await File.WriteAllBytesAsync(Database, garbage);
        var ex = await Assert.ThrowsAsync<TemporalDatabaseException>(() => StartAsync());
        Assert.Contains("corrupt", ex.Message, StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(Database));
    }

    [Fact]
    public async Task Open_FileFromANewerSchema_IsRefusedAndLeftUntouched()
    {
        await using (await StartAsync())
        {
        }
        using (var connection = new SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE meta SET value = '99' WHERE key = 'schema_version';";
            command.ExecuteNonQuery();
        }
        var before = await File.ReadAllBytesAsync(Database);
        var ex = await Assert.ThrowsAsync<TemporalDatabaseException>(() => StartAsync());
        Assert.Contains("schema version 99, newer than this server's 1", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(Database));
    }

    [Fact]
    public async Task Open_FileOfAnotherNamespace_IsRefusedNamingIt()
    {
        await using (await StartAsync())
        {
        }
        var ex = await Assert.ThrowsAsync<TemporalDatabaseException>(() =>
            InMemoryTemporalServer.StartAsync(new InMemoryTemporalServerOptions { DatabaseFile = Database, Namespace = "research" }));
        Assert.Contains("holds namespace 'default', not 'research'", ex.Message, StringComparison.Ordinal);
    }

    private Task<InMemoryTemporalServer> StartAsync(TimeProvider? clock = null, bool workersStopWithServer = false, int port = 0) =>
        InMemoryTemporalServer.StartAsync(new InMemoryTemporalServerOptions
        {
            DatabaseFile = Database,
            Port = port,
            WorkersStopWithServer = workersStopWithServer,
            TimeProvider = clock ?? TimeProvider.System,
            LongPollTimeout = TimeSpan.FromSeconds(3),
        });

    private static Task<TemporalClient> ConnectAsync(InMemoryTemporalServer server) =>
        TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Target) { Namespace = server.Namespace });

    private static async Task RunWorkerUntilAsync(TemporalClient client, string queue, Func<Task> until, GateActivities? gate = null)
    {
        var options = new TemporalWorkerOptions(queue) { GracefulShutdownTimeout = TimeSpan.Zero }
            .AddWorkflow<SignalQueryWorkflow>().AddWorkflow<TimerWorkflow>().AddWorkflow<GateWorkflow>();
        if (gate is not null)
        {
            options.AddAllActivities(gate);
        }
        using var worker = new TemporalWorker(client, options);
        await worker.ExecuteAsync(until);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 20 s");
            await Task.Delay(20);
        }
    }
}
