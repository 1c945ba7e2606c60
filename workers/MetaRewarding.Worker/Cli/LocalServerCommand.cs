using System.CommandLine;
using MetaRewarding.InMemoryTemporal;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding local-server [--port 7233] [--ui-port 8233] [--headless] [--namespace default] [--db-filename FILE]</c>:
/// serves the in-process Temporal server (workers/MetaRewarding.InMemoryTemporal) until Ctrl+C, so workers, the SDK
/// client and the <c>temporal</c> CLI can run workflows on a machine without a Temporal server, and the Temporal Web UI
/// with its HTTP API on the UI port (as <c>temporal server start-dev</c>). With <c>--db-filename</c> its state is kept
/// in that SQLite file and a restart (even after kill -9) continues every run; without it nothing is durable.
/// Exit codes: 0 stopped by Ctrl+C; 1 could not listen (a port in use); 2 invalid option; 3 the database file cannot be used.
/// </summary>
internal static class LocalServerCommand
{
    public const int ExitStopped = 0;
    public const int ExitCannotListen = 1;
    public const int ExitInvalidOption = 2;
    public const int ExitUnusableDatabase = 3;

    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Loopback TCP port to listen on (0 picks a free one).", DefaultValueFactory = _ => 7233, HelpName = "PORT" };
        var uiPort = new Option<int>("--ui-port") { Description = "Port of the Temporal Web UI and its HTTP API on localhost (0 picks a free one).", DefaultValueFactory = _ => 8233, HelpName = "PORT" };
        var headless = new Option<bool>("--headless") { Description = "Serve no Web UI (gRPC only)." };
        var ns = new Option<string>("--namespace") { Description = "The one namespace served.", DefaultValueFactory = _ => "default", HelpName = "NAME" };
        var database = new Option<string?>("--db-filename")
        {
            Description = "SQLite file keeping every workflow across restarts (created if absent); without it everything is lost when the server stops.",
            HelpName = "FILE",
        };
        var command = new Command(
            "local-server",
            "Run the in-process Temporal server until Ctrl+C (durable with --db-filename, else in memory). Exit codes: 0 stopped, 1 cannot listen, 2 invalid option, 3 unusable database file.");
        command.Options.Add(port);
        command.Options.Add(uiPort);
        command.Options.Add(headless);
        command.Options.Add(ns);
        command.Options.Add(database);
        command.SetAction((parseResult, cancellationToken) => ServeAsync(
            parseResult.GetValue(port),
            parseResult.GetValue(headless) ? null : parseResult.GetValue(uiPort),
            parseResult.GetValue(ns) ?? "default",
            parseResult.GetValue(database),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    /// <summary>Serves until <paramref name="stop"/> is signalled (Ctrl+C when run from the command line).</summary>
    public static async Task<int> ServeAsync(int port, int? uiPort, string ns, string? databaseFile, TextWriter stdout, TextWriter stderr, CancellationToken stop)
    {
        InMemoryTemporalServer server;
        try
        {
            // Standalone: workers run elsewhere and may outlive a restart, so what they hold waits for them (or their timeouts).
            server = await InMemoryTemporalServer.StartAsync(
                new InMemoryTemporalServerOptions { Port = port, UiPort = uiPort, Namespace = ns, DatabaseFile = databaseFile }, stop).ConfigureAwait(false);
        }
        catch (TemporalDatabaseException ex)
        {
            await stderr.WriteLineAsync($"local-server: {ex.Message}").ConfigureAwait(false);
            return ExitUnusableDatabase;
        }
        catch (ArgumentException ex)
        {
            await stderr.WriteLineAsync($"local-server: {ex.Message}").ConfigureAwait(false);
            return ExitInvalidOption;
        }
        catch (InvalidOperationException ex)
        {
            await stderr.WriteLineAsync($"local-server: {ex.Message}").ConfigureAwait(false);
            return ExitCannotListen;
        }
        await using (server.ConfigureAwait(false))
        {
            await stdout.WriteLineAsync($"Temporal server listening on {server.Target} (namespace '{server.Namespace}').").ConfigureAwait(false);
            await stdout.WriteLineAsync(Hosting.WebUiLinks.Describe(server)).ConfigureAwait(false);
            await stdout.WriteLineAsync(server.DatabaseFile is null
                ? "WARNING: in-memory and NOT durable: every workflow and its history is lost when this process stops. Use --db-filename FILE (or a real Temporal server) for real runs."
                : Hosting.LocalTemporalServer.DurableNotice(server)).ConfigureAwait(false);
            await stdout.WriteLineAsync($"Connect with: temporal workflow list --address {server.Target} --namespace {server.Namespace}   (Ctrl+C to stop)").ConfigureAwait(false);
            await ShutdownSignals.WaitAsync(stop).ConfigureAwait(false);
            await stdout.WriteLineAsync("Stopping the Temporal server.").ConfigureAwait(false);
        }
        return ExitStopped;
    }
}
