using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Engine;
using MetaRewarding.Modeling.Generation;
using MetaRewarding.Modeling.Tests.Checkpoints;
using MetaRewarding.Tokenization;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Engine;

public sealed class CheckpointEngineTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("checkpoint-engine-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Load_FolderWithGenerationConfigAndTokenizer_StopsAtEveryEndToken()
    {
        // model-b's config says eos 2; generation_config.json adds 7 (as Llama 3 instruct adds <|eot_id|> there);
        // a character tokenizer's end-of-text is another id, and the plain chat template stops at it too.
        CopyModelB();
        File.WriteAllText(Path.Combine(folder, "generation_config.json"), new JsonObject { ["eos_token_id"] = new JsonArray(2, 7) }.ToJsonString());
        var tokenizer = CharacterTokenizer.Create("abcdefghij");
        CharacterTokenizerFile.Save(tokenizer, folder);

        using var engine = CheckpointEngine.Load(folder, ScalarType.Float32, CPU);

        Assert.Contains(2, engine.StopTokenIds);
        Assert.Contains(7, engine.StopTokenIds);
        Assert.Contains(tokenizer.SpecialTokens.EndOfText!.Value, engine.StopTokenIds);
        Assert.Equal(engine.StopTokenIds.Distinct().Count(), engine.StopTokenIds.Count);
        Assert.Equal("plain", engine.Chat.Name);
    }

    [Fact]
    public void Generate_WithoutEosInOptions_StopsAtTheCheckpointsStopIds()
    {
        CopyModelB();
        using var engine = CheckpointEngine.Load(folder, ScalarType.Float32, CPU);
        var free = engine.Generate([new GenerationRequest { PromptIds = [5, 88, 213] }], new GenerationOptions { Greedy = true, MaxNewTokens = 10, EosTokenIds = [] })[0];
        File.WriteAllText(Path.Combine(folder, "generation_config.json"), new JsonObject { ["eos_token_id"] = free.CompletionIds[3] }.ToJsonString());
        using var stopping = CheckpointEngine.Load(folder, ScalarType.Float32, CPU);

        var stopped = stopping.Generate([new GenerationRequest { PromptIds = [5, 88, 213] }], new GenerationOptions { Greedy = true, MaxNewTokens = 10 })[0];

        Assert.Equal(FinishReason.Eos, stopped.FinishReason);
        Assert.Equal(free.CompletionIds.TakeWhile(id => id != free.CompletionIds[3]), stopped.CompletionIds);
    }

    [Fact]
    public void Load_MissingFolderOrConfig_NamesThePathAndWhatBelongsThere()
    {
        var missing = Path.Combine(folder, "nope");
        Assert.Contains("nope", Assert.Throws<DirectoryNotFoundException>(() => CheckpointEngine.Load(missing, ScalarType.Float32, CPU)).Message, StringComparison.Ordinal);
        Assert.Contains("config.json", Assert.Throws<FileNotFoundException>(() => CheckpointEngine.Load(folder, ScalarType.Float32, CPU)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeText_WithoutTokenizer_SaysToUseTokenIds()
    {
        CopyModelB();
        using var engine = CheckpointEngine.Load(folder, ScalarType.Float32, CPU);

        Assert.Null(engine.Tokenizer);
        Assert.Contains("token ids", Assert.Throws<InvalidOperationException>(() => engine.EncodeText("hi")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("float32", ScalarType.Float32)]
    [InlineData("FP32", ScalarType.Float32)]
    [InlineData("bf16", ScalarType.BFloat16)]
    [InlineData("bfloat16", ScalarType.BFloat16)]
    [InlineData("float16", ScalarType.Float16)]
    [InlineData("fp16", ScalarType.Float16)]
    public void ComputeDtypes_Parse_AcceptsEveryDocumentedSpelling(string name, ScalarType expected)
    {
        Assert.Equal(expected, ComputeDtypes.Parse(name));
        Assert.Equal(expected, ComputeDtypes.Parse(ComputeDtypes.Name(expected)));
    }

    [Fact]
    public void ComputeDtypes_Parse_UnknownName_ListsTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => ComputeDtypes.Parse("int8"));
        Assert.Contains("int8", error.Message, StringComparison.Ordinal);
        Assert.Contains(ComputeDtypes.Choices, error.Message, StringComparison.Ordinal);
    }

    private void CopyModelB()
    {
        foreach (var file in Directory.GetFiles(HfFixture.Model("model-b")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        }
    }
}
