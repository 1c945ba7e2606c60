using Temporalio.Client;
using Temporalio.Worker;

namespace MetaRewarding.InMemoryTemporal.Tests.Support;

/// <summary>
/// One in-memory server and connected client per test class (classes run in parallel). Each test uses
/// its own task queue, so tests in a class never take each other's tasks.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private InMemoryTemporalServer? server;
    private TemporalClient? client;

    public InMemoryTemporalServer Server => server ?? throw new InvalidOperationException("fixture not initialised");
    public TemporalClient Client => client ?? throw new InvalidOperationException("fixture not initialised");

    public async Task InitializeAsync()
    {
        // Short long-polls keep worker shutdown at the end of each test quick.
        server = await InMemoryTemporalServer.StartAsync(new InMemoryTemporalServerOptions { LongPollTimeout = TimeSpan.FromSeconds(3) });
        client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Target) { Namespace = server.Namespace });
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    public static string NewTaskQueue() => "tq-" + Guid.NewGuid().ToString("N");

    /// <summary>Runs <paramref name="test"/> while a worker with the given registrations serves <paramref name="taskQueue"/>.</summary>
    public async Task WithWorkerAsync(string taskQueue, Func<TemporalWorkerOptions, TemporalWorkerOptions> register, Func<Task> test)
    {
        var options = register(new TemporalWorkerOptions(taskQueue) { GracefulShutdownTimeout = TimeSpan.Zero });
        using var worker = new TemporalWorker(Client, options);
        await worker.ExecuteAsync(test);
    }
}
