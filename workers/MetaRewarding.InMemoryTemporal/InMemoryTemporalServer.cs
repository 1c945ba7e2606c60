using System.Net;
using Grpc.AspNetCore.Server.Model;
using MetaRewarding.InMemoryTemporal.Engine;
using MetaRewarding.InMemoryTemporal.Grpc;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MetaRewarding.InMemoryTemporal;

/// <summary>
/// A Temporal frontend (WorkflowService over gRPC, plaintext HTTP/2 on loopback) that keeps every
/// workflow in memory: the equivalent of sdk-java's temporal-test-server for .NET. Not durable: all
/// state is lost when it stops. Code written against it runs unchanged against a real server.
/// </summary>
public sealed class InMemoryTemporalServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TemporalEngine engine;
    private int disposed;

    private InMemoryTemporalServer(WebApplication app, TemporalEngine engine, string target)
    {
        this.app = app;
        this.engine = engine;
        Target = target;
    }

    /// <summary>"127.0.0.1:port", what <c>TemporalClient.ConnectAsync</c> takes as target host.</summary>
    public string Target { get; }

    /// <summary>The namespace served.</summary>
    public string Namespace => engine.Namespace;

    /// <summary>Starts listening; dispose the result to stop.</summary>
    public static async Task<InMemoryTemporalServer> StartAsync(InMemoryTemporalServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new InMemoryTemporalServerOptions();
        options.Validate();
        var engine = new TemporalEngine(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = HttpProtocols.Http2);
            // One SDK connection carries every long poll (task polls, history waits for results). Kestrel's
            // default of 100 streams per connection would let 100 result waits starve the workers' calls;
            // the real (Go) server does not limit concurrent streams.
            kestrel.Limits.Http2.MaxStreamsPerConnection = int.MaxValue;
        });
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Services.AddSingleton(engine);
        builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<ErrorMappingInterceptor>();
            // History pages and full-history workflow tasks can be large; the real server allows 4 MB+.
            grpc.MaxReceiveMessageSize = 64 * 1024 * 1024;
            grpc.MaxSendMessageSize = 64 * 1024 * 1024;
        });
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton(
            typeof(IServiceMethodProvider<WorkflowServiceEndpoint>), typeof(WorkflowServiceMethodProvider)));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton(
            typeof(IServiceMethodProvider<OperatorServiceEndpoint>), typeof(OperatorServiceMethodProvider)));
        var app = builder.Build();
        app.MapGrpcService<WorkflowServiceEndpoint>();
        app.MapGrpcService<OperatorServiceEndpoint>();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException(
                $"Could not listen on 127.0.0.1:{options.Port} ({ex.Message}). Choose another port, or 0 for a free one.", ex);
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InMemoryTemporalServer(app, engine, new Uri(address).Authority);
    }

    /// <summary>Ends long polls and waits, then stops listening; all workflow state is dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        engine.Shutdown();
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        engine.Dispose();
    }
}
