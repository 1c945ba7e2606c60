using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Tokenization;
using Temporalio.Exceptions;
using static TorchSharp.torch;

namespace MetaRewarding.Activities.Tests.Model;

/// <summary>
/// The real-run paths on a stand-in base model: a tiny random Llama over GPT-2's vocabulary in a Hugging Face folder
/// outside the store (no pretrained weights exist offline; what is tested is the plumbing, not the quality).
/// </summary>
[Collection(SandboxRunGroup.Name)]
public sealed class RealRunTests(SandboxRunFixture fixture) : IDisposable
{
    private readonly string baseFolder = CreateBaseModel();

    [Fact]
    public async Task PrepareSeedModel_RealRunWithoutSft_ReferencesTheBaseFolderByAbsolutePath()
    {
        var run = await WriteRunAsync("real-plain", seedSft: null);

        var seed = await SandboxRunFixture.RunAsync(() => fixture.Activities.PrepareSeedModelAsync(new SeedInput("real-plain", run)));

        Assert.Equal(ArtifactStore.DescribeExternal(baseFolder), seed);
        Assert.True(Path.IsPathRooted(seed.Path));
    }

    [Fact]
    public async Task PrepareSeedModel_RealRunWithSft_WritesTrainedCopyWithTheBaseTokenizer()
    {
        var dataset = Path.Combine(baseFolder, "..", Path.GetFileName(baseFolder) + "-sft.jsonl");
        await File.WriteAllTextAsync(dataset, "{\"prompt\":\"Say hi.\",\"completion\":\"Hi!\"}\n{\"prompt\":\"Count to two.\",\"completion\":\"One, two.\"}\n{\"prompt\":\"x\",\"completion\":\"\"}\n");
        var run = await WriteRunAsync("real-sft", new SeedSftSettings { Dataset = Path.GetFullPath(dataset), Epochs = 2, GlobalBatchSize = 2, LearningRate = 1e-3 });

        var seed = await SandboxRunFixture.RunAsync(() => fixture.Activities.PrepareSeedModelAsync(new SeedInput("real-sft", run)));

        var folder = fixture.Store.Resolve(seed);
        Assert.Equal(ArtifactStore.RunPath("real-sft", "seed", "model"), seed.Path);
        Assert.True(File.Exists(Path.Combine(folder, CharacterTokenizerFile.FileName)));
        Assert.NotEqual(
            await File.ReadAllBytesAsync(Path.Combine(baseFolder, HfFolder.SingleWeightsFileName)),
            await File.ReadAllBytesAsync(Path.Combine(folder, HfFolder.SingleWeightsFileName)));
        File.Delete(dataset);
    }

    [Fact]
    public async Task Evaluate_RealRun_MeasuresLabelFreeFiguresOnHeldOutPrompts()
    {
        var run = await WriteRunAsync("real-eval", seedSft: null);
        var model = ArtifactStore.DescribeExternal(baseFolder);

        var evaluation = await SandboxRunFixture.RunAsync(() => fixture.Activities.EvaluateAsync(new EvaluationInput("real-eval", run, model, "seed")));

        Assert.InRange(evaluation.Metrics["judgeParseRate"], 0, 1);
        Assert.InRange(evaluation.Metrics["meanResponseChars"], 0, 1000);
        Assert.Contains("\"heldOutPrompts\": 2", await File.ReadAllTextAsync(fixture.Store.FullPath(evaluation.Details.Path)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JudgeResponses_OracleInRealRun_FailsNonRetryableInvalidConfiguration()
    {
        var run = await WriteRunAsync("real-oracle", seedSft: null, JudgeMode.Oracle);
        var responses = await fixture.Store.WriteTextAsync(
            ArtifactStore.RunPath("real-oracle", "iteration-1", "responses", "shard-0000.jsonl"), "{\"id\":\"q0/r0\",\"promptId\":\"q0\",\"text\":\"Hi\"}\n", CancellationToken.None);
        var context = new IterationContext("real-oracle", run, 1, ArtifactStore.DescribeExternal(baseFolder));

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() =>
            SandboxRunFixture.RunAsync(() => fixture.Activities.JudgeResponsesAsync(new ShardInput(context, [responses], 0, 1))));

        Assert.Equal(ErrorTypes.InvalidConfiguration, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Contains("oracle", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(baseFolder, recursive: true);

    private async Task<ArtifactRef> WriteRunAsync(string runId, SeedSftSettings? seedSft, JudgeMode mode = JudgeMode.Model)
    {
        var input = new RunInput
        {
            RunId = runId,
            BaseModel = baseFolder,
            Prompts = Path.Combine(baseFolder, "prompts.jsonl"),
            JudgeMode = mode,
            Configuration = new RunConfiguration
            {
                Seed = 3,
                SeedSft = seedSft,
                Iterations =
                [
                    new IterationSettings
                    {
                        Prompts = 4,
                        ResponsesPerPrompt = 2,
                        JudgmentsPerResponse = 2,
                        ActorSampling = new SamplingSettings { MaxNewTokens = 6 },
                        JudgeSampling = new SamplingSettings { MaxNewTokens = 6 },
                    },
                ],
            },
        };
        var run = await fixture.Store.WriteJsonAsync(ArtifactStore.RunPath(runId, "run.json"), input, RunConfigurationJson.Options, CancellationToken.None);
        var pool = string.Concat(Enumerable.Range(0, 6).Select(i => System.Text.Json.JsonSerializer.Serialize(
            new PromptRecord { Id = $"q{i}", Prompt = $"Write a word that rhymes with cat, number {i}." }, DatasetJsonContext.Default.PromptRecord) + "\n"));
        await fixture.Store.WriteTextAsync(ArtifactStore.RunPath(runId, "prompts.jsonl"), pool, CancellationToken.None);
        await fixture.Store.WriteTextAsync(ArtifactStore.RunPath(runId, "iteration-1", "prompts.jsonl"), pool, CancellationToken.None);
        return run;
    }

    private static string CreateBaseModel()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mr-base-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        CharacterTokenizerFile.SaveOpenAiMarker("gpt2", folder);
        var tokenizer = TokenizerLoader.FromModelFolder(folder);
        var config = new LlamaConfig
        {
            VocabSize = tokenizer.VocabularySize,
            HiddenSize = 16,
            IntermediateSize = 32,
            NumHiddenLayers = 1,
            NumAttentionHeads = 2,
            NumKeyValueHeads = 2,
            HeadDim = 8,
            TieWordEmbeddings = true,
            EosTokenIds = tokenizer.SpecialTokens.EndOfText is { } eos ? [eos] : [],
        };
        using var model = LlamaForCausalLM.Create(config, ScalarType.Float32, CPU, seed: 5);
        model.SavePretrained(folder);
        return folder;
    }
}
