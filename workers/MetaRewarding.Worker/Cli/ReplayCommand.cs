using System.CommandLine;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Workflows;
using Temporalio.Common;
using Temporalio.Worker;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding replay --history FILE [--history FILE...]</c>: replays exported histories (the JSON that
/// <c>temporal workflow show --workflow-id ID --output json</c> writes, or <c>WorkflowHistory.ToJson</c>) against
/// the workflow code in this executable. Run it before deploying a workflow change: a history that no longer
/// replays means the change would break runs in flight (guard it with <c>Workflow.Patched</c>).
/// Exit codes: 0 every history replays; 1 at least one is nondeterministic (the reason is printed); 2 a file
/// cannot be read or is not a history.
/// </summary>
internal static class ReplayCommand
{
    public const int ExitDeterministic = 0;
    public const int ExitNondeterministic = 1;
    public const int ExitUnreadable = 2;

    public static Command Create()
    {
        var history = new Option<string[]>("--history") { Description = "History JSON file (repeat for several).", HelpName = "FILE", Required = true, AllowMultipleArgumentsPerToken = true };
        var command = new Command("replay", "Replay exported workflow histories against the current workflow code. Exit codes: 0 deterministic, 1 nondeterministic, 2 unreadable file.");
        command.Options.Add(history);
        command.SetAction((parse, ct) => ReplayAsync(
            parse.GetValue(history) ?? [], CurrentWorkflows(), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct));
        return command;
    }

    /// <summary>The workflows this executable's worker runs.</summary>
    public static WorkflowReplayerOptions CurrentWorkflows() => new WorkflowReplayerOptions { DataConverter = RunPayloadConverter.DataConverter }
        .AddWorkflow<RunWorkflow>()
        .AddWorkflow<IterationWorkflow>();

    /// <summary>Replays every file against <paramref name="workflows"/>, reporting each.</summary>
    public static async Task<int> ReplayAsync(IReadOnlyList<string> files, WorkflowReplayerOptions workflows, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var histories = new List<(string File, WorkflowHistory History)>();
        foreach (var file in files)
        {
            try
            {
                // The workflow id only labels the replay; the exported JSON does not carry it.
                var json = await File.ReadAllTextAsync(file, ct);
                histories.Add((file, WorkflowHistory.FromJson(Path.GetFileNameWithoutExtension(file), json)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.Text.Json.JsonException
                                         or Google.Protobuf.InvalidJsonException or Google.Protobuf.InvalidProtocolBufferException)
            {
                await stderr.WriteLineAsync($"{file}: not a readable workflow history ({e.Message}); export one with `temporal workflow show --workflow-id ID --output json > FILE`");
                return ExitUnreadable;
            }
        }

        var replayer = new WorkflowReplayer(workflows);
        var failures = 0;
        foreach (var (file, history) in histories)
        {
            var result = await replayer.ReplayWorkflowAsync(history, throwOnReplayFailure: false, ct);
            if (result.ReplayFailure is null)
            {
                await stdout.WriteLineAsync($"{file}: deterministic ({history.Events.Count} events)");
            }
            else
            {
                failures++;
                await stderr.WriteLineAsync($"{file}: NONDETERMINISTIC: {result.ReplayFailure.Message}");
            }
        }

        return failures == 0 ? ExitDeterministic : ExitNondeterministic;
    }
}
