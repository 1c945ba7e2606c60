using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace MetaRewarding.Worker.Tests.Logging;

/// <summary>
/// A stand-in for Seq's ingestion API (Seq itself cannot be installed here): a real HTTP server on loopback that
/// accepts what Serilog's Seq sink POSTs (CLEF: one JSON event per line), answers 201 as Seq does, and records every
/// event with the request's path and API key header. It checks what reaches Seq, not Seq's own behaviour.
/// </summary>
public sealed class SeqIngestionStandIn : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<ReceivedEvent> events = new();
    private readonly Task serving;

    public SeqIngestionStandIn()
    {
        ServerUrl = $"http://127.0.0.1:{FreeLoopbackPort()}/";
        listener.Prefixes.Add(ServerUrl);
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    /// <summary>What to give as Serilog:Seq:ServerUrl.</summary>
    public string ServerUrl { get; }

    /// <summary>The events received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedEvent> Events => [.. events];

    /// <summary>A loopback URL where nothing listens: a dead Seq.</summary>
    public static string DeadServerUrl() => $"http://127.0.0.1:{FreeLoopbackPort()}/";

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using (var reader = new StreamReader(context.Request.InputStream))
            {
                var body = await reader.ReadToEndAsync();
                foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    events.Enqueue(new ReceivedEvent(context.Request.Url!.AbsolutePath, context.Request.Headers["X-Seq-ApiKey"], JsonNode.Parse(line)!.AsObject()));
                }
            }

            context.Response.StatusCode = (int)HttpStatusCode.Created;
            context.Response.ContentType = "application/json";
            await using (var writer = new StreamWriter(context.Response.OutputStream))
            {
                await writer.WriteAsync("{\"MinimumLevelAccepted\":null}");
            }

            context.Response.Close();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        serving.Wait(TimeSpan.FromSeconds(10));
    }
}

/// <summary>One CLEF event as Seq would ingest it.</summary>
public sealed record ReceivedEvent(string Path, string? ApiKey, JsonObject Clef)
{
    /// <summary>The message template (@mt).</summary>
    public string? Template => (string?)Clef["@mt"];

    /// <summary>A property's value as text, or null when the event lacks it.</summary>
    public string? Property(string name) => Clef[name]?.ToString();
}
