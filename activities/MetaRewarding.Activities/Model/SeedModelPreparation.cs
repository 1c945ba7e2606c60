using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Sources;
using MetaRewarding.Modeling.Training;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// Makes M_0 (output <c>runs/{id}/seed/model/</c>): the run's <see cref="RunInput.SeedModel"/> when it names one —
/// how the arms of an experiment share one seed — else what the run source makes (<see cref="IRunSource.PrepareSeed"/>:
/// the sandbox's seed SFT, or a real run's base model, after <c>seedSft</c> when configured).
/// </summary>
internal sealed class SeedModelPreparation(ArtifactStore store, LoadedModelCache cache, ModelActivitiesOptions options)
{
    public ArtifactRef Prepare(string runId, RunDefinition run, ActivityHeartbeat heartbeat)
    {
        if (run.Input.SeedModel is { } shared)
        {
            var seed = ArtifactStore.DescribeExternal(Path.GetFullPath(shared));

            // Loading it proves the folder is a usable checkpoint before the first iteration samples from it.
            cache.Use(store, seed, _ => true);
            return seed;
        }

        return run.Source.PrepareSeed(new SeedContext(store, cache, options, runId, run, heartbeat));
    }

    internal static IProgress<TrainingStepMetrics> TrainingProgress(ActivityHeartbeat heartbeat, string phase, CheckpointStore checkpoints) =>
        new SyncProgress<TrainingStepMetrics>(m => heartbeat.Report(new TrainingHeartbeat(
            phase, m.Step, m.TotalSteps, m.Loss, checkpoints.Steps().Select(s => checkpoints.StepFolder(s)).FirstOrDefault())));
}
