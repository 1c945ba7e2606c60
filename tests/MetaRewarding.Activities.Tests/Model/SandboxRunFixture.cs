using System.Collections.Concurrent;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Tasks;
using Temporalio.Testing;

namespace MetaRewarding.Activities.Tests.Model;

/// <summary>
/// A store with tiny sandbox runs (hidden 32, 1 layer, 30 SFT steps of 16: seconds on two cores) and their seed
/// model, trained once and shared by the model-activity tests.
/// </summary>
public sealed class SandboxRunFixture : IAsyncLifetime
{
    public const string RunId = "tiny-model";
    public const string OracleRunId = "tiny-oracle";
    public const int Prompts = 6;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mr-model-tests-" + Guid.NewGuid().ToString("N"));

    public ArtifactStore Store { get; private set; } = null!;

    public ModelActivitiesOptions Options { get; private set; } = null!;

    public LoadedModelCache Cache { get; private set; } = null!;

    public ModelActivities Activities { get; private set; } = null!;

    public ArtifactRef Run { get; private set; } = null!;

    public ArtifactRef OracleRun { get; private set; } = null!;

    public ArtifactRef SeedModel { get; private set; } = null!;

    /// <summary>
    /// The same activities on the same model cache, heartbeating every progress report: an activity sends no last
    /// heartbeat as it completes (<c>ActivityHeartbeat</c>), so a test that reads the final progress uses these.
    /// </summary>
    public ModelActivities ReportingActivities { get; private set; } = null!;

    /// <summary>Heartbeat details recorded while the seed was trained.</summary>
    public IReadOnlyList<object?> SeedHeartbeats { get; private set; } = [];

    public static RunInput Input(string runId, JudgeMode mode = JudgeMode.Model) => new()
    {
        RunId = runId,
        JudgeMode = mode,
        Sandbox = new SandboxOptions
        {
            HiddenSize = 32,
            Layers = 1,
            Heads = 4,
            IntermediateSize = 64,
            SftSteps = 30,
            SftBatchSize = 16,
            EvaluationPrompts = 12,
            EvaluationSamples = 2,
        },
        Configuration = new RunConfiguration
        {
            Seed = 7,
            ShardSize = 4,
            Iterations =
            [
                new IterationSettings
                {
                    TrainsJudge = true,
                    Prompts = Prompts,
                    ResponsesPerPrompt = 3,
                    JudgmentsPerResponse = 3,
                    ActorSampling = new SamplingSettings { Temperature = 1, TopP = 1, MaxNewTokens = 20 },
                    JudgeSampling = new SamplingSettings { Temperature = 1, TopP = 1, MaxNewTokens = 16 },
                    MetaJudgeSampling = new SamplingSettings { Temperature = 1, TopP = 1, MaxNewTokens = 32 },
                    Dpo = new DpoSettings { GlobalBatchSize = 4, LearningRate = 1e-3, Epochs = 2, RpoAlpha = 1 },
                },
            ],
        },
    };

    public async Task InitializeAsync()
    {
        Store = new ArtifactStore(Root);
        Options = new ModelActivitiesOptions { StoreRoot = Root, GenerationBatchSize = 16, HeartbeatInterval = TimeSpan.FromMilliseconds(200) };
        Cache = new LoadedModelCache(Options);
        Activities = new ModelActivities(Options, Cache);
        ReportingActivities = new ModelActivities(Options with { HeartbeatInterval = TimeSpan.Zero }, Cache);
        Run = await WriteRunAsync(Input(RunId));
        OracleRun = await WriteRunAsync(Input(OracleRunId, JudgeMode.Oracle));
        var beats = new ConcurrentQueue<object?>();
        var env = new ActivityEnvironment { Heartbeater = details => beats.Enqueue(details.FirstOrDefault()) };
        SeedModel = await env.RunAsync(() => Activities.PrepareSeedModelAsync(new SeedInput(RunId, Run)));
        SeedHeartbeats = [.. beats];
    }

    public Task DisposeAsync()
    {
        Cache.Dispose();
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Writes run.json and the iteration-1 prompt slice (iteration-split sandbox tasks) of <paramref name="input"/>.</summary>
    public async Task<ArtifactRef> WriteRunAsync(RunInput input)
    {
        var run = await Store.WriteJsonAsync(ArtifactStore.RunPath(input.RunId, "run.json"), input, RunConfigurationJson.Options, CancellationToken.None);
        var tasks = new TaskSource(SandboxSettings.For(TaskFamily.Constraint)).Take(DatasetSplit.Iteration, Prompts);
        var lines = string.Concat(tasks.Select((t, i) => System.Text.Json.JsonSerializer.Serialize(new PromptRecord { Id = $"p{i}", Prompt = t.Prompt }, DatasetJsonContext.Default.PromptRecord) + "\n"));
        await Store.WriteTextAsync(ArtifactStore.RunPath(input.RunId, "iteration-1", "prompts.jsonl"), lines, CancellationToken.None);
        return run;
    }

    public ArtifactRef PromptSlice(string runId) => Store.TryGetFile(ArtifactStore.RunPath(runId, "iteration-1", "prompts.jsonl"))!;

    public IterationContext Context(string runId, ArtifactRef run) => new(runId, run, 1, SeedModel);

    /// <summary>Runs an activity in a fresh activity environment, recording heartbeats into <paramref name="beats"/> when given.</summary>
    public static Task<T> RunAsync<T>(Func<Task<T>> activity, ConcurrentQueue<object?>? beats = null)
    {
        var env = new ActivityEnvironment { Heartbeater = details => beats?.Enqueue(details.FirstOrDefault()) };
        return env.RunAsync(activity);
    }

    public void Delete(ArtifactRef file)
    {
        File.Delete(Store.FullPath(file.Path));
        File.Delete(Store.FullPath(file.Path) + ".sha256");
    }
}

[CollectionDefinition(Name)]
public sealed class SandboxRunGroup : ICollectionFixture<SandboxRunFixture>
{
    public const string Name = "sandbox model runs";
}
