using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model.OpenAi;
using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// Draws a shard's samples with the run's generation backend (<c>generation.backend</c>, docs/GENERATION.md) and
/// writes the shard: the worker's engine (<see cref="CompletionSampler"/>), or an OpenAI-compatible server
/// (<see cref="OpenAiShardSampler"/>). Either way every sample has its own seed, so the records are the same; the
/// generate, judge and meta-judge activities differ only in the requests they build and the records they write.
/// </summary>
internal sealed class ShardSampling(ArtifactStore store, LoadedModelCache cache, ModelActivitiesOptions options)
{
    /// <summary>Samples <paramref name="work"/>, writes the shard with <paramref name="write"/>, then drops the work files.</summary>
    public async Task<ArtifactRef> SampleAndWriteAsync(
        ShardWork work, RunDefinition run, ActivityHeartbeat heartbeat, Func<IReadOnlyList<SampledCompletion>, Task<ArtifactRef>> write)
    {
        if (run.Configuration.Generation.Backend == GenerationBackend.Openai)
        {
            var progress = (int done) => heartbeat.Report(new StepProgress(work.Step, done, work.Requests.Count));
            using var shard = await new OpenAiShardSampler(store, options).StartAsync(work, run.Configuration.Generation, heartbeat.CancellationToken).ConfigureAwait(false);
            var sampled = await shard.SampleAsync(progress, heartbeat.CancellationToken).ConfigureAwait(false);
            var written = await write(sampled).ConfigureAwait(false);
            shard.Complete();
            return written;
        }

        var local = cache.Use(store, work.Context.Model, model => CompletionSampler.SampleStep(
            model, work.Requests, CompletionSampler.Options(model, work.Settings, work.MaxNewTokensCap, options.GenerationBatchSize), work.Step, heartbeat));
        return await write(local).ConfigureAwait(false);
    }
}
