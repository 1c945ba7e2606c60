using System.CommandLine;
using MetaRewarding.InMemoryTemporal;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding local-server [--port 7233] [--ui-port 8233] [--headless] [--namespace default]</c>: serves the
/// in-memory Temporal server (workers/MetaRewarding.InMemoryTemporal) until Ctrl+C, so workers, the SDK client and
/// the <c>temporal</c> CLI can run workflows on a machine without a Temporal server, and the Temporal Web UI with
/// its HTTP API on the UI port (as <c>temporal server start-dev</c>). Nothing is durable.
/// Exit codes: 0 stopped by Ctrl+C; 1 could not listen (a port in use); 2 invalid option.
/// </summary>
internal static class LocalServerCommand
{
    public const int ExitStopped = 0;
    public const int ExitCannotListen = 1;
    public const int ExitInvalidOption = 2;

    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Loopback TCP port to listen on (0 picks a free one).", DefaultValueFactory = _ => 7233, HelpName = "PORT" };
        var uiPort = new Option<int>("--ui-port") { Description = "Port of the Temporal Web UI and its HTTP API on localhost (0 picks a free one).", DefaultValueFactory = _ => 8233, HelpName = "PORT" };
        var headless = new Option<bool>("--headless") { Description = "Serve no Web UI (gRPC only)." };
        var ns = new Option<string>("--namespace") { Description = "The one namespace served.", DefaultValueFactory = _ => "default", HelpName = "NAME" };
        var command = new Command(
            "local-server",
            "Run an in-memory Temporal server (NOT durable: all workflows are lost when it stops) until Ctrl+C. Exit codes: 0 stopped, 1 cannot listen, 2 invalid option.");
        command.Options.Add(port);
        command.Options.Add(uiPort);
        command.Options.Add(headless);
        command.Options.Add(ns);
        command.SetAction((parseResult, cancellationToken) => ServeAsync(
            parseResult.GetValue(port),
            parseResult.GetValue(headless) ? null : parseResult.GetValue(uiPort),
            parseResult.GetValue(ns) ?? "default",
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    /// <summary>Serves until <paramref name="stop"/> is signalled (Ctrl+C when run from the command line).</summary>
    public static async Task<int> ServeAsync(int port, int? uiPort, string ns, TextWriter stdout, TextWriter stderr, CancellationToken stop)
    {
        InMemoryTemporalServer server;
        try
        {
            server = await InMemoryTemporalServer.StartAsync(new InMemoryTemporalServerOptions { Port = port, UiPort = uiPort, Namespace = ns }, stop).ConfigureAwait(false);
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
            await stdout.WriteLineAsync($"In-memory Temporal server listening on {server.Target} (namespace '{server.Namespace}').").ConfigureAwait(false);
            await stdout.WriteLineAsync(Hosting.WebUiLinks.Describe(server)).ConfigureAwait(false);
            await stdout.WriteLineAsync("WARNING: in-memory and NOT durable: every workflow and its history is lost when this process stops. Use a real Temporal server for real runs.").ConfigureAwait(false);
            await stdout.WriteLineAsync($"Connect with: temporal workflow list --address {server.Target} --namespace {server.Namespace}   (Ctrl+C to stop)").ConfigureAwait(false);
            await ShutdownSignals.WaitAsync(stop).ConfigureAwait(false);
            await stdout.WriteLineAsync("Stopping the in-memory Temporal server.").ConfigureAwait(false);
        }
        return ExitStopped;
    }
}
