using System.CommandLine;
using MetaRewarding.Worker.Hosting;
using MetaRewarding.Worker.Runs;
using Temporalio.Exceptions;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding status --id ID [--watch]</c>: the run's progress query and its current iteration's (phase,
/// shards, DPO steps, the latest iteration's metrics); with <c>--watch</c> redrawn every second until the run
/// closes, then its result or failure. Exit codes: 0 running or completed; 1 failed, cancelled, terminated or
/// timed out; 2 no such workflow or Temporal unreachable.
/// </summary>
internal static class StatusCommand
{
    public const int ExitOk = 0;
    public const int ExitRunFailed = 1;
    public const int ExitUnavailable = 2;

    public static Command Create()
    {
        var id = new Option<string>("--id") { Description = "The run's workflow id (printed by `start`).", HelpName = "ID", Required = true };
        var watch = new Option<bool>("--watch") { Description = "Redraw every second until the run closes." };
        var connection = new ConnectionOptions();
        var command = new Command("status", "Show a run's progress (phase, shards, DPO steps, latest metrics). Exit codes: 0 running/completed, 1 failed, 2 not found/unreachable.");
        command.Options.Add(id);
        command.Options.Add(watch);
        connection.AddTo(command);
        command.SetAction((parse, ct) => ExecuteAsync(
            parse.GetValue(id)!, parse.GetValue(watch), MetaRewardingConfiguration.Temporal(connection.Configuration(parse)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct));
        return command;
    }

    /// <summary>Runs the verb in-process with the given arguments (those after <c>status</c>) and writers.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("status only") { Create() };
        return root.Parse(["status", .. args]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static async Task<int> ExecuteAsync(string id, bool watch, TemporalSettings temporal, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var address = ConnectionOptions.ClientAddress(temporal);
        try
        {
            var client = await TemporalClientFactory.ConnectAsync(address, temporal);
            var redraw = watch && !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out);
            var link = WebUiLinks.UiBase(temporal, address) is { } ui ? $"In the Temporal UI: {WebUiLinks.ToWorkflow(ui, temporal.Namespace, id)}{Environment.NewLine}" : "";
            while (true)
            {
                var snapshot = await RunProgressReader.ReadAsync(client, id, ct);
                if (redraw)
                {
                    // Cursor home + clear screen: one live view instead of a scrolling log.
                    await stdout.WriteAsync("\u001b[H\u001b[2J");
                }

                await stdout.WriteAsync(snapshot.Run is null
                    ? $"{id}: {snapshot.StatusText} (no progress answer: is a worker serving the CPU queue?){Environment.NewLine}"
                    : ProgressView.Render(id, snapshot.StatusText, snapshot.Run, snapshot.Iteration));
                await stdout.WriteAsync(link);
                if (!snapshot.IsRunning)
                {
                    return await PrintOutcomeAsync(client, id, stdout, stderr);
                }

                if (!watch)
                {
                    return ExitOk;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            await stderr.WriteLineAsync($"no workflow '{id}' in namespace '{temporal.Namespace}' on {address}; list runs with `temporal workflow list --query \"WorkflowType='MetaRewardingRun'\"`");
            return ExitUnavailable;
        }
        catch (Exception e) when (e is TemporalException or InvalidOperationException)
        {
            await stderr.WriteLineAsync($"cannot read run '{id}' on {address}: {e.Message}");
            return ExitUnavailable;
        }
    }

    private static async Task<int> PrintOutcomeAsync(Temporalio.Client.ITemporalClient client, string id, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var summary = await RunProgressReader.ResultAsync(client, id);
            await stdout.WriteAsync(ProgressView.Result(summary));
            return ExitOk;
        }
        catch (Temporalio.Exceptions.WorkflowFailedException e)
        {
            await stderr.WriteLineAsync($"Run {id} did not complete: {Causes(e)}");
            await stderr.WriteLineAsync("Fix the cause, then reset it (README: \"Retry or reset a failed activity\").");
            return ExitRunFailed;
        }
    }

    /// <summary>The failure chain, outermost first: a failed activity's message is at the end.</summary>
    internal static string Causes(Exception e)
    {
        var parts = new List<string>();
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            parts.Add(current.Message);
        }

        return string.Join(" <- ", parts);
    }
}
