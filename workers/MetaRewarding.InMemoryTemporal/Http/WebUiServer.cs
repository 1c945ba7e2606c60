using System.Net;
using MetaRewarding.InMemoryTemporal.Engine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MetaRewarding.InMemoryTemporal.Http;

/// <summary>
/// The web side of the in-process server, on its own HTTP/1.1 port (browsers do not speak plaintext HTTP/2, which
/// the gRPC port uses): the Temporal Web UI's static files, <c>/api/v1/settings</c>, and Temporal's HTTP/JSON API
/// under <c>/api/v1</c> answered by the same engine as gRPC. Loopback only, no auth, like <c>temporal server
/// start-dev</c>'s UI on 8233.
/// </summary>
internal sealed class WebUiServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebUiServer(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    /// <summary>e.g. http://localhost:8233/ (the port actually bound when 0 was asked).</summary>
    public Uri Url { get; }

    public static async Task<WebUiServer> StartAsync(TemporalEngine engine, int port, WebUiAssets assets, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // A fixed port listens on both loopback addresses, so http://localhost:PORT works whichever one the
            // browser resolves; port 0 (tests) takes a free IPv4 loopback port.
            if (port == 0)
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            }
            else
            {
                kestrel.ListenLocalhost(port, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        var app = builder.Build();
        var gateway = new ApiGateway(engine);
        var settings = UiSettings.Render(engine.Namespace, assets.Version);
        app.Run(context => HandleAsync(context, gateway, settings, assets));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException(
                $"Could not listen on localhost:{port} for the Temporal Web UI ({ex.Message}). Choose another port with --ui-port N (0 picks a free one).", ex);
        }
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new WebUiServer(app, new Uri($"http://localhost:{bound.Port}/"));
    }

    private static async Task HandleAsync(HttpContext context, ApiGateway gateway, string settings, WebUiAssets assets)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            if (path == "/api/v1/settings" && HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(settings, context.RequestAborted).ConfigureAwait(false);
                return;
            }
            await gateway.HandleAsync(context).ConfigureAwait(false);
            return;
        }
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        if (assets.Open(path) is not { } file)
        {
            context.Response.StatusCode = assets.Available ? StatusCodes.Status404NotFound : StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(assets.Available
                ? $"404: {path} is not part of the Temporal Web UI."
                : $"The Temporal Web UI is not available in this build: {assets.UnavailableReason}\nThe HTTP API under /api/v1 is served.\n",
                context.RequestAborted).ConfigureAwait(false);
            return;
        }
        await using (file.Content.ConfigureAwait(false))
        {
            context.Response.ContentType = file.ContentType;
            // Hashed asset names never change content; the page itself must be re-read so a rebuilt UI is picked up.
            context.Response.Headers.CacheControl = file.Immutable ? "public, max-age=31536000, immutable" : "no-cache";
            context.Response.ContentLength = file.Content.Length;
            if (HttpMethods.IsGet(context.Request.Method))
            {
                await file.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
