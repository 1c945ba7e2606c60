using MetaRewarding.Activities.Contracts;
using MetaRewarding.InMemoryTemporal;
using MetaRewarding.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Temporalio.Client;

namespace MetaRewarding.EndToEnd.Tests.Support;

/// <summary>
/// The whole system in the test process: the in-process Temporal server, a client, and the worker composition of
/// <c>metarewarding worker</c> (<see cref="WorkerHost"/>: real workflows, real run and model activities) serving
/// both queues over an artifact store in a temporary folder. Without <c>startWorker</c> only the
/// server and client run (crash tests bring their own worker processes).
/// </summary>
public sealed class InProcessDeployment : IAsyncDisposable
{
    private readonly InMemoryTemporalServer server;
    private readonly IHost? host;

    private InProcessDeployment(InMemoryTemporalServer server, TemporalClient client, IHost? host, string artifacts)
    {
        this.server = server;
        this.host = host;
        Client = client;
        Artifacts = artifacts;
    }

    public TemporalClient Client { get; }

    /// <summary><c>127.0.0.1:port</c> of the server.</summary>
    public string Target => server.Target;

    public string Artifacts { get; }

    /// <summary>The production queue names: each deployment has its own server, so nothing else polls them.</summary>
    public TaskQueues Queues { get; } = new();

    public static async Task<InProcessDeployment> StartAsync(string artifacts, bool startWorker)
    {
        var server = await InMemoryTemporalServer.StartAsync();
        // The project's converter, as TemporalClientFactory sets it: payloads carry NaN metrics.
        var client = await TemporalClient.ConnectAsync(new(server.Target) { Namespace = server.Namespace, DataConverter = RunPayloadConverter.DataConverter });
        IHost? host = null;
        if (startWorker)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Worker:Artifacts"] = artifacts,
                ["Worker:Queues"] = "cpu,gpu",
                ["Worker:GracefulShutdownSeconds"] = "5",
            }).Build();
            host = WorkerHost.Build(configuration, client);
            await host.StartAsync();
        }

        return new InProcessDeployment(server, client, host, artifacts);
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }

        await server.DisposeAsync();
    }
}
