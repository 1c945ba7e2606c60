using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Activities.Reports;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using Temporalio.Activities;

namespace MetaRewarding.Activities.Run;

/// <summary>
/// The CPU activities (task queue <see cref="TaskQueues.Cpu"/>): validate and snapshot the run, slice prompts,
/// build pairs, write the report. Each returns what already exists and verifies instead of recomputing it, and
/// fails non-retryably (<see cref="ActivityFailures"/>) when only a person can fix the problem.
/// </summary>
public sealed class RunActivities(ArtifactStore store) : IRunActivities
{
    private static CancellationToken Token => ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : CancellationToken.None;

    [Activity(ActivityNames.PrepareRun)]
    public Task<RunSnapshot> PrepareRunAsync(RunInput input) => ActivityFailures.GuardAsync(() => PrepareAsync(input, Token));

    [Activity(ActivityNames.SelectPrompts)]
    public Task<PromptSlice> SelectPromptsAsync(SelectPromptsInput input) => ActivityFailures.GuardAsync(() => SelectAsync(input, Token));

    [Activity(ActivityNames.BuildPairs)]
    public Task<PairsOutput> BuildPairsAsync(PairsInput input) =>
        ActivityFailures.GuardAsync(() => IterationPairsStep.RunAsync(store, input, Heartbeat, Token));

    [Activity(ActivityNames.WriteReport)]
    public Task<ArtifactRef> WriteReportAsync(ReportInput input) =>
        ActivityFailures.GuardAsync(() => RunReportWriter.WriteAsync(store, input, Token));

    private static void Heartbeat(string stage)
    {
        if (ActivityExecutionContext.HasCurrent)
        {
            ActivityExecutionContext.Current.Heartbeat(stage);
        }
    }

    private async Task<RunSnapshot> PrepareAsync(RunInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = RunInputValidator.Validate(input);
        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        var runPath = ArtifactStore.RunPath(input.RunId, RunSnapshotFile.FileName);
        var poolPath = ArtifactStore.RunPath(input.RunId, "prompts.jsonl");
        var snapshot = RunSnapshotFile.Serialize(input);
        if (store.TryGetFile(runPath) is { } existingRun)
        {
            if (!string.Equals(await store.ReadAllTextAsync(existingRun, ct), snapshot, StringComparison.Ordinal))
            {
                throw new ConfigurationException(
                    $"run '{input.RunId}' already exists in the store ({runPath}) with a different input: this is another run under the same id. "
                    + $"Choose a new runId, or delete {store.FullPath(ArtifactStore.RunPath(input.RunId))} to start this run over.");
            }

            if (store.TryGetFile(poolPath) is { } existingPool)
            {
                return new RunSnapshot(existingRun, existingPool, CountLines(store.Resolve(existingPool)));
            }
        }

        // The pool is written before run.json: a run.json on disk always has its pool (or had, before a crash
        // between the two, which the branch above repairs), and an invalid pool leaves no run.json behind.
        long poolSize = 0;
        var pool = await store.WriteFileAsync(poolPath, (stream, _) =>
        {
            poolSize = PromptPool.Write(input, stream);
            return Task.CompletedTask;
        }, ct);
        var tooLong = PromptContextCheck.Problems(input, JsonlArtifacts.Read(store, pool, DatasetJsonContext.Default.PromptRecord, MalformedLinePolicy.Fatal));
        if (tooLong.Count > 0)
        {
            throw new ConfigurationException(tooLong);
        }

        var run = await store.WriteTextAsync(runPath, snapshot, ct);
        return new RunSnapshot(run, pool, poolSize);
    }

    private async Task<PromptSlice> SelectAsync(SelectPromptsInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = input.Context;
        var run = RunSnapshotFile.Read(store, context.Run);
        var iterations = run.Configuration.Iterations;
        if (context.Iteration < 1 || context.Iteration > iterations.Count)
        {
            throw new ConfigurationException($"iteration {context.Iteration} is not in run '{run.RunId}''s schedule (iterations 1-{iterations.Count})");
        }

        var offset = iterations.Take(context.Iteration - 1).Sum(iteration => (long)iteration.Prompts);
        var count = iterations[context.Iteration - 1].Prompts;
        var shards = (int)((count + run.Configuration.ShardSize - 1) / run.Configuration.ShardSize);
        var slicePath = ArtifactStore.RunPath(context.RunId, $"iteration-{context.Iteration}", "prompts.jsonl");
        if (store.TryGetFile(slicePath) is { } existing)
        {
            return new PromptSlice(existing, count, shards);
        }

        var poolPath = store.Resolve(input.PromptPool);
        var slice = await store.WriteFileAsync(slicePath, (stream, _) =>
        {
            using var writer = new JsonlWriter<PromptRecord>(stream, DatasetJsonContext.Default.PromptRecord);
            var log = new MalformedLineLog(MalformedLinePolicy.Fatal);
            foreach (var line in JsonlReader.ReadFile(poolPath, DatasetJsonContext.Default.PromptRecord, log).Skip(checked((int)offset)).Take(count))
            {
                writer.Write(line.Record);
            }

            if (writer.Count < count)
            {
                throw new ArtifactMissingException(
                    input.PromptPool.Path, input.PromptPool.Sha256, $"a pool too small for iteration {context.Iteration}: it needs prompts [{offset}, {offset + count}) but ends after {offset + writer.Count}");
            }

            return Task.CompletedTask;
        }, ct);
        return new PromptSlice(slice, count, shards);
    }

    private static long CountLines(string path) => File.ReadLines(path).LongCount(line => !string.IsNullOrWhiteSpace(line));
}
