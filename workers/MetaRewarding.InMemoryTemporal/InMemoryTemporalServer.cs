using System.Net;
using Grpc.AspNetCore.Server.Model;
using MetaRewarding.InMemoryTemporal.Engine;
using MetaRewarding.InMemoryTemporal.Grpc;
using MetaRewarding.InMemoryTemporal.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MetaRewarding.InMemoryTemporal;

/// <summary>
/// A Temporal frontend (WorkflowService over gRPC, plaintext HTTP/2 on loopback) that keeps every workflow in memory
/// and, with <see cref="InMemoryTemporalServerOptions.DatabaseFile"/>, in SQLite, so a restart (even after kill -9)
/// continues every run: the equivalent of sdk-java's temporal-test-server and of the CLI's dev server for .NET.
/// Without a database file all state is lost when it stops. Code written against it runs unchanged against a real server.
/// </summary>
public sealed class InMemoryTemporalServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TemporalEngine engine;
    private readonly WebUiServer? web;
    private readonly Persistence.SqliteRunStore? store;
    private int disposed;

    private InMemoryTemporalServer(WebApplication app, TemporalEngine engine, string target, WebUiServer? web,
        Persistence.SqliteRunStore? store, (int Runs, int Open) recovered)
    {
        this.app = app;
        this.engine = engine;
        this.web = web;
        this.store = store;
        Target = target;
        RecoveredRuns = recovered.Runs;
        RecoveredOpenRuns = recovered.Open;
    }

    /// <summary>The database file holding the server's state, or null when it is in memory only.</summary>
    public string? DatabaseFile => store?.Path;

    /// <summary>How many runs the database held at start, and how many of them were still open (now resumed).</summary>
    public int RecoveredRuns { get; }

    public int RecoveredOpenRuns { get; }

    /// <summary>"127.0.0.1:port", what <c>TemporalClient.ConnectAsync</c> takes as target host.</summary>
    public string Target { get; }

    /// <summary>The namespace served.</summary>
    public string Namespace => engine.Namespace;

    /// <summary>
    /// Where the web side listens (<c>http://localhost:PORT/</c>: the Temporal Web UI and the HTTP API under
    /// /api/v1), or null when <see cref="InMemoryTemporalServerOptions.UiPort"/> was not set.
    /// </summary>
    public Uri? UiUrl => web?.Url;

    /// <summary>
    /// Why the web side serves the HTTP API but no UI pages (the UI was not built into this assembly: no Node.js at
    /// build time, or built with -p:TemporalUi=false), or null when the UI is there.
    /// </summary>
    public static string? UiUnavailableReason => WebUiAssets.Embedded.UnavailableReason;

    /// <summary>The link to a workflow's page in the Web UI (its latest run), or null without a web side.</summary>
    public Uri? UiLinkTo(string workflowId) =>
        web is null ? null : new Uri(web.Url, $"namespaces/{Uri.EscapeDataString(Namespace)}/workflows/{Uri.EscapeDataString(workflowId)}");

    /// <summary>Starts listening; dispose the result to stop.</summary>
    public static async Task<InMemoryTemporalServer> StartAsync(InMemoryTemporalServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new InMemoryTemporalServerOptions();
        options.Validate();
        var store = options.DatabaseFile is null ? null : Persistence.SqliteRunStore.Open(options.DatabaseFile, options.Namespace);
        TemporalEngine engine;
        (int Runs, int Open) recovered;
        try
        {
            engine = new TemporalEngine(options, store);
            recovered = engine.Recover();
        }
        catch
        {
            store?.Dispose();
            throw;
        }
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
        builder.Services.AddSingleton(ServingHealth.Create());
        var app = builder.Build();
        app.MapGrpcService<WorkflowServiceEndpoint>();
        app.MapGrpcService<OperatorServiceEndpoint>();
        app.MapGrpcService<global::Grpc.HealthCheck.HealthServiceImpl>();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            engine.Shutdown();
            await app.DisposeAsync().ConfigureAwait(false);
            store?.Dispose();
            throw new InvalidOperationException(
                $"Could not listen on 127.0.0.1:{options.Port} ({ex.Message}). Choose another port, or 0 for a free one.", ex);
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        WebUiServer? web = null;
        if (options.UiPort is { } uiPort)
        {
            try
            {
                web = await WebUiServer.StartAsync(engine, uiPort, WebUiAssets.Embedded, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                engine.Shutdown();
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
                engine.Dispose();
                store?.Dispose();
                throw;
            }
        }
        return new InMemoryTemporalServer(app, engine, new Uri(address).Authority, web, store, recovered);
    }

    /// <summary>Ends long polls and waits, then stops listening; without a database file all workflow state is dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        engine.Shutdown();
        if (web is not null)
        {
            await web.DisposeAsync().ConfigureAwait(false);
        }
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        engine.Dispose();
        store?.Dispose();
    }
}
