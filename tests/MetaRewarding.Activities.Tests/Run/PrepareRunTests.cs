using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Run;
using MetaRewarding.Activities.Tests.Artifacts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Sandbox.Tasks;
using MetaRewarding.Tokenization;
using static MetaRewarding.Activities.Tests.Run.RunFixtures;

namespace MetaRewarding.Activities.Tests.Run;

public sealed class PrepareRunTests : IDisposable
{
    private readonly TemporaryStore _temp = new();
    private readonly RunActivities _activities;

    public PrepareRunTests() => _activities = new RunActivities(_temp.Store);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task PrepareRunAsync_SandboxRun_WritesRoundTrippingSnapshotAndPoolOfIterationSplitTasks()
    {
        var input = SandboxRun();

        var snapshot = await PrepareAsync(_activities, input);

        Assert.Equal("runs/sandbox-run/run.json", snapshot.Run.Path);
        Assert.Equal("runs/sandbox-run/prompts.jsonl", snapshot.PromptPool.Path);
        Assert.Equal(5, snapshot.PromptPoolSize);
        var read = RunSnapshotFile.Read(_temp.Store, snapshot.Run);
        Assert.Equal(RunSnapshotFile.Serialize(input), RunSnapshotFile.Serialize(read));
        Assert.Equal(input.Configuration.Iterations[0], read.Configuration.Iterations[0]);

        var prompts = ReadPrompts(_temp.Store, snapshot.PromptPool);
        Assert.Equal(["sandbox-000000", "sandbox-000001", "sandbox-000002", "sandbox-000003", "sandbox-000004"], prompts.Select(p => p.Id));
        var source = new TaskSource(MetaRewarding.Sandbox.SandboxSettings.For(TaskFamily.Constraint));
        Assert.All(prompts, p => Assert.Equal(DatasetSplit.Iteration, source.SplitOf(SandboxTasks.Parse(p.Prompt))));
    }

    [Fact]
    public async Task PrepareRunAsync_SandboxRunSameSeedInAnotherStore_WritesIdenticalPool()
    {
        using var other = new TemporaryStore();

        var first = await PrepareAsync(_activities, SandboxRun());
        var second = await PrepareAsync(new RunActivities(other.Store), SandboxRun());
        var reseeded = await PrepareAsync(new RunActivities(other.Store), SandboxRun("sandbox-run-2", seed: 8));

        Assert.Equal(first.PromptPool.Sha256, second.PromptPool.Sha256);
        Assert.NotEqual(first.PromptPool.Sha256, reseeded.PromptPool.Sha256);
    }

    [Fact]
    public async Task PrepareRunAsync_SecondCallWithSameInput_ReturnsSameRefsWithoutRewriting()
    {
        var first = await PrepareAsync(_activities, SandboxRun());
        var runFile = _temp.Store.FullPath(first.Run.Path);
        var poolFile = _temp.Store.FullPath(first.PromptPool.Path);
        var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(runFile, old);
        File.SetLastWriteTimeUtc(poolFile, old);

        var second = await PrepareAsync(_activities, SandboxRun());

        Assert.Equal(first, second);
        Assert.Equal(old, File.GetLastWriteTimeUtc(runFile));
        Assert.Equal(old, File.GetLastWriteTimeUtc(poolFile));
    }

    [Fact]
    public async Task PrepareRunAsync_PoolLostAfterSnapshot_RewritesPoolOnly()
    {
        var first = await PrepareAsync(_activities, SandboxRun());
        File.Delete(_temp.Store.FullPath(first.PromptPool.Path));

        var second = await PrepareAsync(_activities, SandboxRun());

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task PrepareRunAsync_DifferentInputUnderSameRunId_FailsNonRetryableSayingSo()
    {
        await PrepareAsync(_activities, SandboxRun());

        var failure = await FailureOf(() => _activities.PrepareRunAsync(SandboxRun(seed: 99)), ErrorTypes.InvalidConfiguration);

        Assert.Contains("already exists", failure.Message, StringComparison.Ordinal);
        Assert.Contains("different input", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareRunAsync_SeveralProblems_ListsEveryOneAndWritesNothing()
    {
        var input = SandboxRun() with
        {
            RunId = "bad id/..",
            BaseModel = "/nowhere/model",
            Configuration = SmallConfiguration() with { ShardSize = 0 },
        };

        var failure = await FailureOf(() => _activities.PrepareRunAsync(input), ErrorTypes.InvalidConfiguration);

        Assert.Contains("runId must be", failure.Message, StringComparison.Ordinal);
        Assert.Contains("not both", failure.Message, StringComparison.Ordinal);
        Assert.Contains("shardSize must be >= 1", failure.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Store.FullPath("runs")));
    }

    public static TheoryData<string, string> SingleProblems() => new()
    {
        { "no-source", "names no model" },
        { "missing-model", "does not exist" },
        { "model-without-config", "has no config.json" },
        { "relative-prompts", "must be an absolute path" },
        { "missing-prompts", "prompts file" },
        { "oracle-real", "judgeMode 'oracle' needs a sandbox run" },
        { "bad-family", "sandbox.taskFamily must be one of" },
        { "odd-heads", "sandbox.hiddenSize must be a multiple of sandbox.heads" },
        { "relative-template", "templates.judge must be an absolute path" },
        { "missing-template", "cannot read template file" },
        { "sandbox-template", "templates must be left out for a sandbox run" },
        { "bad-rho", "iterations[0].actorPairs.rho" },
        { "empty-queue", "taskQueues.cpu and taskQueues.gpu" },
    };

    [Fact]
    public async Task PrepareRunAsync_PromptOverTheModelsContext_FailsNamingItBeforeWritingTheRun()
    {
        // A base model with a real tokenizer (GPT-2's BPE) and 2,048 positions; p3 alone (~1,200 tokens) leaves no
        // room for the actor's 1,024 new tokens.
        var prompts = FivePrompts().Replace("question 3", string.Concat(Enumerable.Repeat("a much longer question ", 300)), StringComparison.Ordinal);
        var fitting = Real(_temp.Folder, FivePrompts(), "real-run-fits");
        var input = Real(_temp.Folder, prompts);
        CharacterTokenizerFile.SaveOpenAiMarker("gpt2", input.BaseModel!);
        var config = new LlamaConfig { VocabSize = 50_257, HiddenSize = 8, IntermediateSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 1, NumKeyValueHeads = 1, HeadDim = 8, MaxPositionEmbeddings = 2048 };
        File.WriteAllText(Path.Combine(input.BaseModel!, "config.json"), config.ToJson("float32").ToJsonString());

        var failure = await FailureOf(() => _activities.PrepareRunAsync(input), ErrorTypes.InvalidConfiguration);
        var snapshot = await PrepareAsync(_activities, fitting);

        Assert.Contains("prompt 'p3' (iteration 1) as the actor sees it", failure.Message, StringComparison.Ordinal);
        Assert.Contains("exceeds the model's context of 2048 positions", failure.Message, StringComparison.Ordinal);
        Assert.Contains("iterations[0].actorSampling.maxNewTokens", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'p1'", failure.Message, StringComparison.Ordinal);
        Assert.Null(_temp.Store.TryGetFile(MetaRewarding.Activities.Artifacts.ArtifactStore.RunPath("real-run", "run.json")));
        Assert.Equal(5, snapshot.PromptPoolSize);
    }

    [Theory]
    [MemberData(nameof(SingleProblems))]
    public async Task PrepareRunAsync_OneProblem_FailsNonRetryableNamingIt(string problem, string expected)
    {
        var real = Real(_temp.Folder, FivePrompts());
        var input = problem switch
        {
            "no-source" => SandboxRun() with { Sandbox = null },
            "missing-model" => real with { BaseModel = Path.Combine(_temp.Folder, "no-such-model") },
            "model-without-config" => real with { BaseModel = _temp.Folder },
            "relative-prompts" => real with { Prompts = "prompts.jsonl" },
            "missing-prompts" => real with { Prompts = Path.Combine(_temp.Folder, "none.jsonl") },
            "oracle-real" => real with { JudgeMode = JudgeMode.Oracle },
            "bad-family" => SandboxRun() with { Sandbox = new SandboxOptions { TaskFamily = "poetry" } },
            "odd-heads" => SandboxRun() with { Sandbox = new SandboxOptions { HiddenSize = 10, Heads = 4 } },
            "relative-template" => real with { Configuration = real.Configuration with { Templates = new TemplateFiles { Judge = "judge.txt" } } },
            "missing-template" => real with { Configuration = real.Configuration with { Templates = new TemplateFiles { Judge = Path.Combine(_temp.Folder, "judge.txt") } } },
            "sandbox-template" => SandboxRun() with { Configuration = SmallConfiguration() with { Templates = new TemplateFiles { Actor = "/a.txt" } } },
            "bad-rho" => real with
            {
                Configuration = real.Configuration with
                {
                    Iterations = [real.Configuration.Iterations[0] with { ActorPairs = new ActorPairSettings { Rho = 3 } }],
                },
            },
            "empty-queue" => real with { TaskQueues = new TaskQueues { Cpu = " " } },
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };

        var failure = await FailureOf(() => _activities.PrepareRunAsync(input), ErrorTypes.InvalidConfiguration);

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareRunAsync_RealRunWithMixedLines_NormalisesIdsAndSkipsBadLines()
    {
        var jsonl = string.Join('\n',
            "{\"id\":\"a\",\"prompt\":\"first\"}",
            "{\"prompt\":\"no id here\"}",
            "{\"id\":42,\"prompt\":\"numeric id\"}",
            "not json",
            "",
            "{\"id\":\"a\",\"prompt\":\"duplicate id\"}",
            "{\"id\":\"b\",\"prompt\":\"\"}",
            "{\"id\":\"c\",\"prompt\":\"fourth\",\"extra\":1}",
            "{\"id\":\"d\",\"prompt\":\"fifth — ünïcode\"}");
        var input = Real(_temp.Folder, jsonl);

        var snapshot = await PrepareAsync(_activities, input);

        var prompts = ReadPrompts(_temp.Store, snapshot.PromptPool);
        Assert.Equal(["a", "line-2", "42", "c", "d"], prompts.Select(p => p.Id));
        Assert.Equal(["first", "no id here", "numeric id", "fourth", "fifth — ünïcode"], prompts.Select(p => p.Prompt));
        Assert.Equal(5, snapshot.PromptPoolSize);
    }

    [Fact]
    public async Task PrepareRunAsync_FatalPolicyAndBadLine_FailsNamingTheLine()
    {
        var configuration = SmallConfiguration() with { MalformedLines = MalformedLinePolicy.Fatal };
        var input = Real(_temp.Folder, FivePrompts() + "{broken\n", configuration: configuration);

        var failure = await FailureOf(() => _activities.PrepareRunAsync(input), ErrorTypes.InvalidConfiguration);

        Assert.Contains("line 6", failure.Message, StringComparison.Ordinal);
        Assert.Contains("fatal", failure.Message, StringComparison.Ordinal);
        Assert.Null(_temp.Store.TryGetFile("runs/real-run/run.json"));
    }

    [Fact]
    public async Task PrepareRunAsync_PoolSmallerThanSchedule_FailsNamingBothCountsAndWritesNothing()
    {
        var input = Real(_temp.Folder, FivePrompts() + "oops\n", configuration: SmallConfiguration() with
        {
            Iterations = [.. SmallConfiguration().Iterations, new IterationSettings { Prompts = 1 }],
        });

        var failure = await FailureOf(() => _activities.PrepareRunAsync(input), ErrorTypes.InvalidConfiguration);

        Assert.Contains("has 5 usable prompts but the schedule takes 6", failure.Message, StringComparison.Ordinal);
        Assert.Contains("1 malformed line(s) were skipped", failure.Message, StringComparison.Ordinal);
        Assert.Null(_temp.Store.TryGetFile("runs/real-run/prompts.jsonl"));
        Assert.Null(_temp.Store.TryGetFile("runs/real-run/run.json"));
    }
}
