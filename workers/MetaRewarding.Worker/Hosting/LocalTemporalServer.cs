using MetaRewarding.InMemoryTemporal;

namespace MetaRewarding.Worker.Hosting;

/// <summary>
/// The server a process uses once <see cref="TemporalServerResolver"/> has chosen: nothing to start for a configured
/// address; the dev server child process; or the in-process server. Disposing stops what was started.
/// </summary>
public sealed class LocalTemporalServer : IAsyncDisposable
{
    public const string NotDurableWarning =
        "WARNING: no Temporal server given (--temporal / TEMPORAL_ADDRESS) and no `temporal` CLI on PATH: using the in-process server. "
        + "The run is NOT durable (it is lost when this process stops).";

    private readonly IAsyncDisposable? owned;

    /// <summary>What a durable in-process server says at start: where its state is, and what it found there.</summary>
    public static string DurableNotice(InMemoryTemporalServer server) =>
        $"Temporal state in {server.DatabaseFile} (durable: run the same command again to continue after a stop or crash); "
        + $"{server.RecoveredRuns} workflow run(s) found, {server.RecoveredOpenRuns} still open and resumed.";

    private LocalTemporalServer(TemporalServerChoice choice, string address, IAsyncDisposable? owned, Uri? uiUrl)
    {
        Choice = choice;
        Address = address;
        this.owned = owned;
        UiUrl = uiUrl;
    }

    public TemporalServerChoice Choice { get; }

    /// <summary><c>host:port</c> to connect to.</summary>
    public string Address { get; }

    /// <summary>The Temporal Web UI of this server, when known (see <see cref="WebUiLinks"/>).</summary>
    public Uri? UiUrl { get; }

    /// <summary>
    /// Starts what <paramref name="choice"/> needs; prints where the server is (and the warning for in-process) to
    /// <paramref name="log"/>. A port in use or an unusable database file is an <see cref="InvalidOperationException"/>.
    /// </summary>
    public static async Task<LocalTemporalServer> StartAsync(TemporalServerChoice choice, TemporalSettings settings, TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        switch (choice.Kind)
        {
            case TemporalServerKind.Configured:
                return new LocalTemporalServer(choice, choice.Address!, null, WebUiLinks.UiBase(settings, choice.Address!));
            case TemporalServerKind.DevServer:
                var port = int.Parse(choice.Address![(choice.Address!.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                var dev = await DevServerProcess.StartAsync(choice.Executable!, settings.Namespace, port, ct);
                var devUi = new Uri($"http://localhost:{DevServerProcess.UiPort}/");
                await log.WriteLineAsync($"Started the Temporal dev server ({choice.Executable}) on {choice.Address}; web UI: {devUi}");
                return new LocalTemporalServer(choice, choice.Address!, dev, devUi);
            default:
                // The workers of a process that runs its own server die with it: after a restart from the database, what
                // they held is retried at once.
                InMemoryTemporalServer server;
                try
                {
                    server = await InMemoryTemporalServer.StartAsync(new InMemoryTemporalServerOptions
                    {
                        Port = settings.LocalPort,
                        Namespace = settings.Namespace,
                        UiPort = settings.UiPort,
                        DatabaseFile = settings.DatabaseFile.Length > 0 ? settings.DatabaseFile : null,
                        WorkersStopWithServer = true,
                    }, ct);
                }
                catch (TemporalDatabaseException e)
                {
                    // Callers report "cannot start a Temporal server" for this as for a port in use.
                    throw new InvalidOperationException(e.Message, e);
                }
                await log.WriteLineAsync(server.DatabaseFile is null ? NotDurableWarning : DurableNotice(server));
                await log.WriteLineAsync($"In-process Temporal server listening on {server.Target} (namespace '{server.Namespace}').");
                await log.WriteLineAsync(WebUiLinks.Describe(server));
                return new LocalTemporalServer(choice, server.Target, server, server.UiUrl);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (owned is not null)
        {
            await owned.DisposeAsync();
        }
    }
}
