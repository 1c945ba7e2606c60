using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Modeling.Native;
using Temporalio.Activities;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// The GPU-queue activities: thin adapters that read the run snapshot, heartbeat, and hand the work to one class
/// per step. Each first returns its output when it already exists in the store and verifies (a retried or reset
/// activity costs nothing twice); samples derive their seeds from (run seed, iteration, step, item), so a rerun
/// writes the same bytes. Configuration problems and missing inputs fail non-retryably (see
/// <see cref="ActivityFailures"/>). Run these on a worker with <c>MaxConcurrentActivities = 1</c> per GPU.
/// </summary>
public sealed class ModelActivities : IModelActivities
{
    private readonly ArtifactStore store;
    private readonly LoadedModelCache cache;
    private readonly ModelActivitiesOptions options;

    // Model activities running now in this worker: the seed SFT widens its torch threads only when it runs alone.
    private int _running;

    public ModelActivities(ModelActivitiesOptions options, LoadedModelCache cache)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cache);
        this.options = options;
        this.cache = cache;
        store = new ArtifactStore(options.StoreRoot);
    }

    /// <inheritdoc/>
    [Activity(ActivityNames.PrepareSeedModel)]
    public Task<ArtifactRef> PrepareSeedModelAsync(SeedInput input) => RunAsync(input?.Run, new TrainingHeartbeat("seed", 0, 0, null, null), (run, heartbeat) =>
    {
        // A worker with several model slots gives each a share of the cores; the seed SFT (minutes, synchronous on
        // this thread) usually runs before any other model step exists, and then takes every core
        // (docs/ENVIRONMENT.md, "Threads": 1.3× faster on the demo's seed).
        using var wide = Volatile.Read(ref _running) == 1 && TorchRuntime.Threads < TorchRuntime.DefaultThreads
            ? TorchRuntime.UseThreads(TorchRuntime.DefaultThreads) : null;
        return Task.FromResult(new SeedModelPreparation(store, cache, options).Prepare(input!.RunId, run, heartbeat));
    });

    /// <inheritdoc/>
    [Activity(ActivityNames.GenerateResponses)]
    public Task<ArtifactRef> GenerateResponsesAsync(ShardInput input) => RunAsync(input?.Context.Run, new StepProgress(StepSeeds.Generate, 0, 0), (run, heartbeat) =>
        new ResponseGeneration(store, cache, options).RunAsync(input!, run, heartbeat));

    /// <inheritdoc/>
    [Activity(ActivityNames.JudgeResponses)]
    public Task<ArtifactRef> JudgeResponsesAsync(ShardInput input) => RunAsync(input?.Context.Run, new StepProgress(StepSeeds.Judge, 0, 0), (run, heartbeat) =>
        new ResponseJudging(store, cache, options).RunAsync(input!, run, heartbeat));

    /// <inheritdoc/>
    [Activity(ActivityNames.MetaJudge)]
    public Task<ArtifactRef> MetaJudgeAsync(ShardInput input) => RunAsync(input?.Context.Run, new StepProgress(StepSeeds.MetaJudge, 0, 0), (run, heartbeat) =>
        new MetaJudging(store, cache, options).RunAsync(input!, run, heartbeat));

    /// <inheritdoc/>
    [Activity(ActivityNames.TrainDpo)]
    public Task<TrainingOutput> TrainDpoAsync(TrainingInput input) => RunAsync(input?.Context.Run, new TrainingHeartbeat("dpo", 0, 0, null, null), (run, heartbeat) =>
        new DpoTraining(store, cache, options, new TrainingSignals(options.ProgressSignalInterval)).RunAsync(input!, run, heartbeat));

    /// <inheritdoc/>
    [Activity(ActivityNames.Evaluate)]
    public Task<EvaluationOutput> EvaluateAsync(EvaluationInput input) => RunAsync(input?.Run, new StepProgress(StepSeeds.Evaluate, 0, 0), (run, heartbeat) =>
        new ModelEvaluation(store, cache, options).RunAsync(input!, run, heartbeat));

    /// <summary>
    /// With <see cref="ModelActivitiesOptions.DeviceMemoryBytes"/> set, refuses a real run that cannot fit the device
    /// (a <see cref="Alignment.Configuration.ConfigurationException"/>, non-retryable InvalidConfiguration). The sandbox's
    /// tiny models always fit. M_t has the base model's shape, so its config.json is what is planned.
    /// </summary>
    private void EnsureFits(RunDefinition definition)
    {
        if (options.DeviceMemoryBytes is { } device && definition.Input.BaseModel is { } baseModel)
        {
            var config = Modeling.Llama.LlamaConfig.FromJsonFile(Path.Combine(baseModel, Modeling.Checkpoints.HfFolder.ConfigFileName));
            RunMemoryPlan.EnsureFits(definition.Configuration, config, options, device);
        }
    }

    /// <summary>Reads the run, heartbeats while <paramref name="body"/> works, and maps unfixable errors to non-retryable failures.</summary>
    private Task<T> RunAsync<T>(ArtifactRef? run, object initialDetails, Func<RunDefinition, ActivityHeartbeat, Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(run, "input");
        return ActivityFailures.GuardAsync(async () =>
        {
            Interlocked.Increment(ref _running);
            try
            {
                using var heartbeat = new ActivityHeartbeat(options.HeartbeatInterval, initialDetails);
                var definition = RunDefinition.Load(store, run);
                EnsureFits(definition);
                return await body(definition, heartbeat);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        });
    }
}
