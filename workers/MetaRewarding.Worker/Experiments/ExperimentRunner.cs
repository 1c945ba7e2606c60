using System.Globalization;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Workflows;
using MetaRewarding.Worker.Cli;
using MetaRewarding.Worker.Runs;
using Temporalio.Client;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace MetaRewarding.Worker.Experiments;

/// <summary>What became of one run of the plan: its summary, or why it failed.</summary>
public sealed record ArmResult(ArmRun Run, RunSummary? Summary, string? Failure);

/// <summary>
/// Runs an <see cref="ExperimentPlan"/> as real workflows on a Temporal server with a worker serving both queues
/// (attaching to those the server already has: a resumed demo):
/// the seed owner first; once its seed model exists and is evaluated (its <c>progress</c> query says where), every
/// other run starts from that model; then it watches them all to the end, printing a line per phase and per finished iteration.
/// </summary>
public static class ExperimentRunner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public static async Task<IReadOnlyList<ArmResult>> RunAsync(
        ITemporalClient client, ExperimentPlan plan, string storeRoot, ExperimentConsole console, Func<string, string?> uiLink, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(console);
        // The first run makes the seed (or loads the given one) and measures it; the others start once it is measured,
        // so none of them trains or evaluates it again.
        var owner = plan.SeedOwner;
        var handles = new Dictionary<string, WorkflowHandle<RunWorkflow, RunSummary>>(StringComparer.Ordinal)
        {
            [owner.RunId] = await RunStarter.StartOrAttachAsync(client, owner.Input),
        };
        console.Line($"{Label(plan, owner)}: started{Link(uiLink, owner.RunId)}");
        if (await WaitForSeedAsync(client, handles[owner.RunId], console, ct) is { } seed)
        {
            var seedFolder = plan.SeedModel ?? (Path.IsPathFullyQualified(seed.Path) ? seed.Path : new ArtifactStore(storeRoot).FullPath(seed.Path));
            console.Line($"seed model ready: {seedFolder}");
            foreach (var run in plan.Runs.Skip(1))
            {
                handles[run.RunId] = await RunStarter.StartOrAttachAsync(client, run.Input with { SeedModel = seedFolder });
                console.Line($"{Label(plan, run)}: started from the shared seed{Link(uiLink, run.RunId)}");
            }
        }

        await WatchAsync(client, plan, handles, console, ct);
        var results = new List<ArmResult>();
        foreach (var run in plan.Runs)
        {
            if (!handles.TryGetValue(run.RunId, out var handle))
            {
                results.Add(new ArmResult(run, null, "not started: the seed owner failed before its seed model existed"));
                continue;
            }

            try
            {
                results.Add(new ArmResult(run, await handle.GetResultAsync(), null));
            }
            catch (WorkflowFailedException e)
            {
                results.Add(new ArmResult(run, null, StatusCommand.Causes(e)));
            }
        }

        return results;
    }

    /// <summary>A run's name on the console: its arm, and its loop seed when there are several.</summary>
    public static string Label(ExperimentPlan plan, ArmRun run) =>
        plan.LoopSeeds.Count == 1 ? run.Arm : string.Create(CultureInfo.InvariantCulture, $"{run.Arm} (loop seed {run.LoopSeed})");

    private static string Link(Func<string, string?> uiLink, string runId) => uiLink(runId) is { } link ? $"; {link}" : "";

    /// <summary>Polls the owner until its seed model is made and measured; null when the owner closed first.</summary>
    private static async Task<ArtifactRef?> WaitForSeedAsync(ITemporalClient client, WorkflowHandle<RunWorkflow, RunSummary> owner, ExperimentConsole console, CancellationToken ct)
    {
        var result = owner.GetResultAsync();
        var phase = "";
        while (!result.IsCompleted)
        {
            // Task.WhenAny below returns a cancelled delay without throwing: Ctrl+C or SIGTERM must end the wait here.
            ct.ThrowIfCancellationRequested();
            var snapshot = await RunProgressReader.ReadAsync(client, owner.Id, ct);
            // After the seed's evaluation too: the other runs then find it measured (ModelEvaluation shares it).
            if (snapshot.Run?.SeedModel is { } seed && snapshot.Run.Phase != Phases.Evaluate)
            {
                return seed;
            }

            if (snapshot.Run is { } progress && progress.Phase != phase)
            {
                phase = progress.Phase;
                console.Line($"seed: phase {phase}");
            }

            if (phase == Phases.Seed && await TrainingHeartbeatAsync(client, owner.Id) is { Steps: > 0 } training)
            {
                console.Progress("seed SFT", training.Step, training.Steps, training.Loss is { } loss ? string.Create(CultureInfo.InvariantCulture, $"loss {loss:F3}") : "");
            }

            await Task.WhenAny(result, Task.Delay(PollInterval, ct));
        }

        return result.IsCompletedSuccessfully ? result.Result.SeedModel : null;
    }

    /// <summary>The heartbeat of the run's pending training activity (seed SFT), if it has one.</summary>
    private static async Task<TrainingHeartbeat?> TrainingHeartbeatAsync(ITemporalClient client, string workflowId)
    {
        try
        {
            var description = await client.WorkflowService.DescribeWorkflowExecutionAsync(new()
            {
                Namespace = client.Options.Namespace,
                Execution = new() { WorkflowId = workflowId },
            });
            var details = description.PendingActivities.Select(a => a.HeartbeatDetails).FirstOrDefault(d => d is { Payloads_.Count: > 0 });
            return details is null ? null : RunPayloadConverter.DataConverter.PayloadConverter.ToValue<TrainingHeartbeat>(details.Payloads_[0]);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or System.Text.Json.JsonException or ArgumentException)
        {
            return null;
        }
    }

    private static async Task WatchAsync(
        ITemporalClient client, ExperimentPlan plan, Dictionary<string, WorkflowHandle<RunWorkflow, RunSummary>> handles, ExperimentConsole console, CancellationToken ct)
    {
        var results = handles.ToDictionary(h => h.Key, h => h.Value.GetResultAsync(), StringComparer.Ordinal);
        var reported = new Dictionary<string, int>(StringComparer.Ordinal);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        void Report(ArmRun run, IterationSummary latest, int iterations)
        {
            if (latest.Iteration > reported.GetValueOrDefault(run.RunId))
            {
                reported[run.RunId] = latest.Iteration;
                console.Line($"{Label(plan, run)}: iteration {latest.Iteration}/{iterations} {IterationLine(latest)}");
            }
        }

        while (closed.Count < results.Count)
        {
            ct.ThrowIfCancellationRequested();
            var running = new List<string>();
            foreach (var run in plan.Runs.Where(r => results.ContainsKey(r.RunId) && !closed.Contains(r.RunId)))
            {
                var result = results[run.RunId];
                if (result.IsCompleted)
                {
                    // Whatever finished since the last poll, from the result itself; then the run's last line.
                    if (result.IsCompletedSuccessfully)
                    {
                        foreach (var iteration in result.Result.Iterations)
                        {
                            Report(run, iteration, result.Result.Iterations.Count);
                        }
                    }

                    console.Line($"{Label(plan, run)}: {(result.IsCompletedSuccessfully ? "completed" : "FAILED")}");
                    closed.Add(run.RunId);
                    continue;
                }

                var snapshot = await RunProgressReader.ReadAsync(client, run.RunId, ct);
                if (snapshot.Run is not { } progress)
                {
                    continue;
                }

                if (progress.Latest is { } latest)
                {
                    Report(run, latest, progress.Iterations);
                }

                if (progress.Phase is Phases.Prepare or Phases.Seed or Phases.Evaluate && progress.Iteration == 0)
                {
                    console.Line($"{Label(plan, run)}: phase {progress.Phase}");
                }

                running.Add(snapshot.Iteration is { } at ? $"{run.Arm} {at.Iteration}:{at.Phase}" : $"{run.Arm} {progress.Phase}");
            }

            if (closed.Count < results.Count)
            {
                console.Progress("runs done", closed.Count, results.Count, string.Join(", ", running.Take(3)));
                await Task.WhenAny(Task.WhenAll(results.Values), Task.Delay(PollInterval, ct));
            }
        }
    }

    /// <summary>A finished iteration in one line: accuracy with its interval, the pairs and the judge's catch rate.</summary>
    public static string IterationLine(IterationSummary iteration)
    {
        ArgumentNullException.ThrowIfNull(iteration);
        var m = iteration.Evaluation.Metrics;
        string Get(string key, string format) => m.TryGetValue(key, out var v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
        return $"greedy {Get("actorAccuracy", "F3")} [{Get("actorAccuracyLow", "F3")}, {Get("actorAccuracyHigh", "F3")}], "
            + $"sampled {Get("actorSampledAccuracy", "F3")}, judge catch {Get("judgeCatchRate", "F2")}; "
            + string.Create(CultureInfo.InvariantCulture, $"{iteration.Data.ActorPairs} actor + {iteration.Data.JudgePairs} judge pairs, {iteration.Training.Steps} DPO steps");
    }
}
