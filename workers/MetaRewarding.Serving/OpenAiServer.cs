using System.Net;
using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Engine;
using MetaRewarding.Serving.Endpoints;
using MetaRewarding.Serving.Protocol;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MetaRewarding.Serving;

/// <summary>
/// The engine behind an OpenAI-compatible HTTP server (Kestrel, HTTP/1.1): <c>GET /v1/models</c>,
/// <c>POST /v1/completions</c>, <c>POST /v1/chat/completions</c> and <c>GET /health</c>. Every request's choices go
/// into one continuous-batching loop (<see cref="EngineScheduler"/>), so concurrent requests decode together. Bad
/// requests get a 4xx in OpenAI's error shape naming the field. No authentication: it binds loopback unless told
/// otherwise. The caller keeps the engine; disposing the server stops the loop.
/// </summary>
public sealed class OpenAiServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private OpenAiServer(WebApplication app, EngineScheduler scheduler, string modelName, Uri baseAddress)
    {
        this.app = app;
        Scheduler = scheduler;
        ModelName = modelName;
        BaseAddress = baseAddress;
    }

    /// <summary>e.g. http://127.0.0.1:8000/ (the port actually bound when 0 was asked); the API is under <c>v1/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The name <c>/v1/models</c> lists.</summary>
    public string ModelName { get; }

    internal EngineScheduler Scheduler { get; }

    /// <summary>The most rows decoded together so far (continuous batching across requests at work).</summary>
    public int PeakRows => Scheduler.Statistics.PeakRows;

    /// <summary>Starts serving <paramref name="engine"/>.</summary>
    /// <exception cref="InvalidOperationException">The address cannot be bound (the message says which and what to do).</exception>
    public static async Task<OpenAiServer> StartAsync(CheckpointEngine engine, ServeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        if (!IPAddress.TryParse(options.Host, out var address))
        {
            throw new ArgumentException($"--host must be an IP address such as 127.0.0.1 or 0.0.0.0, got '{options.Host}'.");
        }

        engine.Model.eval();
        var model = new ServedModel(engine, ServedModel.NameFor(engine, options.ModelName), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var batching = new Modeling.Generation.BatchingOptions
        {
            MaxBatchSize = options.MaxBatchSize,
            KvCacheTokens = options.KvCacheTokens,
            SharePrefixes = options.SharePrefixes,
        };
        batching.Validate();
        var scheduler = new EngineScheduler(() => engine.CreateBatcher(batching));
        var sampler = new ChoiceSampler(model, scheduler, options);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, options.Port, listen => listen.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok());
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            app.Use(RequireApiKey(options.ApiKey));
        }

        app.MapGet(ModelsEndpoint.Route, Json((_, _) => Task.FromResult<JsonObject?>(ModelsEndpoint.Handle(model))));
        app.MapPost(CompletionsEndpoint.Route, Json((context, body) => CompletionsEndpoint.HandleAsync(context, body, model, sampler)));
        app.MapPost(ChatCompletionsEndpoint.Route, Json((context, body) => ChatCompletionsEndpoint.HandleAsync(context, body, model, sampler)));
        app.MapFallback(Json((context, _) => throw new OpenAiError(
            404, $"{context.Request.Method} {context.Request.Path} is not an endpoint of this server; it serves GET /v1/models, POST /v1/completions, POST /v1/chat/completions.", code: "not_found", type: "NotFoundError")));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            scheduler.Dispose();
            throw new InvalidOperationException($"could not listen on {options.Host}:{options.Port} ({e.Message}); choose another port with --port N.", e);
        }

        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new OpenAiServer(app, scheduler, model.Name, new Uri($"http://{FormatHost(address)}:{bound.Port}/"));
    }

    /// <summary>Completes when the server stops (Ctrl+C in the verb cancels <paramref name="cancellationToken"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        Scheduler.Dispose();
    }

    private static string FormatHost(IPAddress address) =>
        address.Equals(IPAddress.Any) ? "127.0.0.1" : address.Equals(IPAddress.IPv6Any) ? "[::1]"
        : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    /// <summary>Refuses <c>/v1</c> requests without the bearer key with a 401 in OpenAI's shape (<c>/health</c> stays open).</summary>
    private static Func<HttpContext, RequestDelegate, Task> RequireApiKey(string key) => (context, next) =>
        !context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal)
        || string.Equals(context.Request.Headers.Authorization.ToString(), $"Bearer {key}", StringComparison.Ordinal)
            ? next(context)
            : WriteAsync(context, (_, _) => throw new OpenAiError(
                401, "missing or wrong API key: send the header 'Authorization: Bearer <key>' with the key serve was started with (--api-key).", code: "invalid_api_key", type: "AuthenticationError"));

    /// <summary>
    /// A handler that reads the body, runs <paramref name="handle"/> and writes its JSON (null: it streamed the answer
    /// itself). A refused request gets its status and OpenAI's error shape; a failure after a stream started ends the
    /// stream with an error event.
    /// </summary>
    private static RequestDelegate Json(Func<HttpContext, string, Task<JsonObject?>> handle) => context => WriteAsync(context, handle);

    private static async Task WriteAsync(HttpContext context, Func<HttpContext, string, Task<JsonObject?>> handle)
    {
        OpenAiError error;
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            if (await handle(context, body).ConfigureAwait(false) is { } json)
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
            }

            return;
        }
        catch (OpenAiError e)
        {
            error = e;
        }
        catch (ObjectDisposedException e)
        {
            error = new OpenAiError(503, e.Message, type: "ServiceUnavailableError");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The protocol's boundary: whatever failed inside (the engine, a bug) reaches the client in OpenAI's shape.
            error = new OpenAiError(500, e.Message, type: "InternalServerError");
        }

        if (context.Response.HasStarted)
        {
            await context.Response.WriteAsync($"data: {error.ToJson().ToJsonString()}\n\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(error.ToJson().ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }
}
