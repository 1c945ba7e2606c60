using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Run;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace MetaRewarding.Activities.Tests.Run;

/// <summary>Small runs for the CPU activity tests: a 2-iteration schedule of 3 + 2 prompts in shards of 2.</summary>
internal static class RunFixtures
{
    public static RunConfiguration SmallConfiguration(long seed = 7) => new()
    {
        Seed = seed,
        ShardSize = 2,
        Iterations =
        [
            new IterationSettings { TrainsJudge = true, Prompts = 3, ResponsesPerPrompt = 2, JudgmentsPerResponse = 2 },
            new IterationSettings { Prompts = 2, ResponsesPerPrompt = 2, JudgmentsPerResponse = 1 },
        ],
    };

    public static RunInput SandboxRun(string runId = "sandbox-run", long seed = 7) => new()
    {
        RunId = runId,
        Configuration = SmallConfiguration(seed),
        Sandbox = new SandboxOptions(),
    };

    /// <summary>A real run over a fake model folder (only config.json: validation checks no more) and a prompts file.</summary>
    public static RunInput Real(string folder, string promptsJsonl, string runId = "real-run", RunConfiguration? configuration = null)
    {
        var model = Path.Combine(folder, "base-model");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "config.json"), "{}");
        var prompts = Path.Combine(folder, $"prompts-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(prompts, promptsJsonl);
        return new RunInput { RunId = runId, Configuration = configuration ?? SmallConfiguration(), BaseModel = model, Prompts = prompts };
    }

    /// <summary>Five well-formed prompts p1..p5.</summary>
    public static string FivePrompts() =>
        string.Concat(Enumerable.Range(1, 5).Select(i => $"{{\"id\":\"p{i}\",\"prompt\":\"question {i}\"}}\n"));

    /// <summary>Runs an activity method as Temporal runs it (with an activity context), returning its result.</summary>
    public static Task<T> RunActivity<T>(Func<Task<T>> activity) => new ActivityEnvironment().RunAsync(activity);

    /// <summary>The failure an activity raised, checked to be non-retryable of <paramref name="errorType"/>.</summary>
    public static async Task<ApplicationFailureException> FailureOf<T>(Func<Task<T>> activity, string errorType)
    {
        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => RunActivity(activity));
        Assert.Equal(errorType, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        return failure;
    }

    public static List<PromptRecord> ReadPrompts(ArtifactStore store, ArtifactRef artifact) =>
        [.. JsonlReader.ReadFile(store.Resolve(artifact), DatasetJsonContext.Default.PromptRecord, new MalformedLineLog(MalformedLinePolicy.Fatal)).Select(l => l.Record)];

    public static async Task<RunSnapshot> PrepareAsync(RunActivities activities, RunInput input) =>
        await RunActivity(() => activities.PrepareRunAsync(input));
}
