using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetaRewarding.Activities.Tests.Model.OpenAi;

/// <summary>
/// A TEST DOUBLE of an OpenAI-compatible server: a real HTTP server on a loopback port whose every answer comes from
/// the test's <c>handle</c> (misbehave: HTML, 404, 500, no choices, slow answers; or forward to the real
/// <c>serve</c> and count). It records each request it got, so tests see what the backend sent and how often.
/// </summary>
public sealed class OpenAiEndpointDouble : IAsyncDisposable
{
    private readonly WebApplication app;

    private OpenAiEndpointDouble(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Every request received: method, path, body, Authorization header.</summary>
    public ConcurrentQueue<(string Method, string Path, string Body, string? Authorization)> Requests { get; } = new();

    public int Completions => Requests.Count(r => r.Path == "/v1/completions");

    public static async Task<OpenAiEndpointDouble> StartAsync(Func<HttpContext, string, Task> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        OpenAiEndpointDouble? self = null;
        app.Run(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            self!.Requests.Enqueue((context.Request.Method, context.Request.Path.Value ?? "", body, context.Request.Headers.Authorization.FirstOrDefault()));
            await handle(context, body);
        });
        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        self = new OpenAiEndpointDouble(app, new Uri($"http://127.0.0.1:{bound.Port}/"));
        return self;
    }

    /// <summary>Answers <paramref name="status"/> with <paramref name="body"/> as <paramref name="contentType"/>.</summary>
    public static Task Answer(HttpContext context, int status, string body, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body);
    }

    /// <summary>Passes the request to <paramref name="upstream"/> (the real server) and its answer back.</summary>
    public static async Task Forward(HttpContext context, string body, HttpClient upstream)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path.Value!.TrimStart('/'));
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await upstream.SendAsync(request);
        await Answer(context, (int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
