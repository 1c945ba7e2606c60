using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Engine;
using MetaRewarding.TestSupport;
using static TorchSharp.torch;

namespace MetaRewarding.Serving.Tests;

/// <summary>
/// <c>/v1/models</c> and <c>/v1/completions</c> over real HTTP against the engine's own generation of the same
/// checkpoint: shapes, greedy text, seeds, stop strings, max_tokens and end-of-sequence, usage counts.
/// </summary>
[Collection(TinyModelServerGroup.Name)]
public sealed class CompletionsTests(TinyModelServer fixture)
{
    private const string Prompt = "what is 2+3? ";

    private static readonly string[] TwoPrompts = ["abc ", "xyz "];

    [Fact]
    public async Task Models_ListsTheServedModel_ByItsFolderPath()
    {
        var json = JsonNode.Parse(await fixture.Http.GetStringAsync("v1/models"))!;

        Assert.Equal("list", (string?)json["object"]);
        var model = Assert.Single(json["data"]!.AsArray())!;
        Assert.Equal(Path.GetFullPath(fixture.ModelFolder), (string?)model["id"]);
        Assert.Equal("model", (string?)model["object"]);
        Assert.Equal(96, (int)model["max_model_len"]!);
        Assert.Equal(fixture.Server.ModelName, (string?)model["id"]);
    }

    [Fact]
    public async Task Completions_GreedyTextPrompt_IsTheEnginesGenerationWithUsage()
    {
        var ids = fixture.Direct.EncodePrompt(Prompt);
        var expected = fixture.Generate(ids, 12);

        var (status, json) = await fixture.PostAsync("v1/completions", new { model = fixture.Server.ModelName, prompt = Prompt, max_tokens = 12, temperature = 0 });

        Assert.Equal(200, status);
        Assert.Equal("text_completion", (string?)json["object"]);
        Assert.StartsWith("cmpl-", (string?)json["id"], StringComparison.Ordinal);
        Assert.Equal(fixture.Server.ModelName, (string?)json["model"]);
        var choice = Assert.Single(json["choices"]!.AsArray())!;
        Assert.Equal(0, (int)choice["index"]!);
        Assert.Equal(expected.Text, (string?)choice["text"]);
        var generated = expected.CompletionIds.Count + (expected.FinishReason == Modeling.Generation.FinishReason.Eos ? 1 : 0);
        Assert.Equal(ids.Length, (int)json["usage"]!["prompt_tokens"]!);
        Assert.Equal(generated, (int)json["usage"]!["completion_tokens"]!);
        Assert.Equal(ids.Length + generated, (int)json["usage"]!["total_tokens"]!);
    }

    [Fact]
    public async Task Completions_TokenIdPrompt_AnswersAsTheSameTextDoes()
    {
        var ids = fixture.Direct.EncodePrompt(Prompt);

        var (_, fromText) = await fixture.PostAsync("v1/completions", new { prompt = Prompt, max_tokens = 10, temperature = 0.9, seed = 5 });
        var (status, fromIds) = await fixture.PostAsync("v1/completions", new { prompt = ids, max_tokens = 10, temperature = 0.9, seed = 5, return_token_ids = true });

        Assert.Equal(200, status);
        Assert.Equal((string?)fromText["choices"]![0]!["text"], (string?)fromIds["choices"]![0]!["text"]);
        Assert.Equal(fixture.Generate(ids, 10, seed: 5, temperature: 0.9).CompletionIds, fromIds["choices"]![0]!["token_ids"]!.AsArray().Select(t => (int)t!));
    }

    [Fact]
    public async Task Completions_SameSeed_SameText_AndChoiceCUsesSeedPlusC()
    {
        var ids = fixture.Direct.EncodePrompt(Prompt);

        var (_, first) = await fixture.PostAsync("v1/completions", new { prompt = Prompt, max_tokens = 16, temperature = 1.0, top_p = 0.9, seed = 42, n = 3 });
        var (_, again) = await fixture.PostAsync("v1/completions", new { prompt = Prompt, max_tokens = 16, temperature = 1.0, top_p = 0.9, seed = 42, n = 3 });

        var texts = first["choices"]!.AsArray().Select(c => (string?)c!["text"]).ToList();
        Assert.Equal(texts, again["choices"]!.AsArray().Select(c => (string?)c!["text"]));
        Assert.Equal([0, 1, 2], first["choices"]!.AsArray().Select(c => (int)c!["index"]!));
        for (var c = 0; c < 3; c++)
        {
            var direct = fixture.Direct.Generate(
                [new Modeling.Generation.GenerationRequest { PromptIds = ids, Seed = 42 + c }],
                new Modeling.Generation.GenerationOptions { MaxNewTokens = 16, Temperature = 1.0, TopP = 0.9 })[0];
            Assert.Equal(direct.Text, texts[c]);
        }
    }

    [Fact]
    public async Task Completions_ListOfPrompts_ChoicesArePromptMajor()
    {
        var (status, json) = await fixture.PostAsync("v1/completions", new { prompt = TwoPrompts, n = 2, max_tokens = 6, temperature = 0 });

        Assert.Equal(200, status);
        var texts = json["choices"]!.AsArray().Select(c => (string?)c!["text"]).ToList();
        Assert.Equal(4, texts.Count);
        Assert.Equal(fixture.Generate(fixture.Direct.EncodePrompt("abc "), 6).Text, texts[0]);
        Assert.Equal(texts[0], texts[1]);
        Assert.Equal(fixture.Generate(fixture.Direct.EncodePrompt("xyz "), 6).Text, texts[2]);
        Assert.Equal(fixture.Direct.EncodePrompt("abc ").Length + fixture.Direct.EncodePrompt("xyz ").Length, (int)json["usage"]!["prompt_tokens"]!);
    }

    [Fact]
    public async Task Completions_MaxTokensReached_FinishReasonLength()
    {
        var ids = fixture.Direct.EncodePrompt(Prompt);
        var expected = fixture.Generate(ids, 7);
        Assert.Equal(Modeling.Generation.FinishReason.Length, expected.FinishReason); // the tiny model does not pick eos greedily here

        var (_, json) = await fixture.PostAsync("v1/completions", new { prompt = Prompt, max_tokens = 7, temperature = 0 });

        Assert.Equal("length", (string?)json["choices"]![0]!["finish_reason"]);
        Assert.Null(json["choices"]![0]!["stop_reason"]);
        Assert.Equal(7, (int)json["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public async Task Completions_StopString_CutsBeforeIt_FinishReasonStopNamesIt()
    {
        var ids = fixture.Direct.EncodePrompt(Prompt);
        var full = fixture.Generate(ids, 24).Text!;
        var stop = full.Substring(5, 2); // a string the greedy completion contains
        var cut = full[..full.IndexOf(stop, StringComparison.Ordinal)];

        var (status, json) = await fixture.PostAsync("v1/completions", new { prompt = Prompt, max_tokens = 24, temperature = 0, stop = new[] { "never there", stop } });

        Assert.Equal(200, status);
        var choice = json["choices"]![0]!;
        Assert.Equal(cut, (string?)choice["text"]);
        Assert.Equal("stop", (string?)choice["finish_reason"]);
        Assert.Equal(stop, (string?)choice["stop_reason"]);
    }

    [Fact]
    public async Task Completions_EndOfSequence_FinishReasonStopWithoutStopReason_CountsTheEosToken()
    {
        // The same weights with generation_config.json naming a token the greedy completion produces as eos.
        using var folder = new TemporaryFolder("mr-serve-eos-");
        TinyModelServer.WriteModel(folder.Path);
        var ids = fixture.Direct.EncodePrompt(Prompt);
        var greedy = fixture.Generate(ids, 20).CompletionIds;
        Assert.NotEmpty(greedy);
        var eos = greedy[^1];
        var cut = greedy.ToList().IndexOf(eos);
        File.WriteAllText(Path.Combine(folder.Path, HfFolder.GenerationConfigFileName), $"{{\"eos_token_id\": [2, {eos}]}}");
        using var engine = CheckpointEngine.Load(folder.Path, ScalarType.Float32, CPU);
        await using var server = await OpenAiServer.StartAsync(engine, new ServeOptions { Port = 0, ModelName = "tiny-eos" });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await http.PostAsync("v1/completions", new StringContent($"{{\"prompt\": \"{Prompt}\", \"max_tokens\": 20, \"temperature\": 0}}"));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var choice = json["choices"]![0]!;
        Assert.Equal("stop", (string?)choice["finish_reason"]);
        Assert.Null(choice["stop_reason"]);
        Assert.Equal(fixture.Direct.Decode(greedy.Take(cut).ToList()), (string?)choice["text"]);
        Assert.Equal(cut + 1, (int)json["usage"]!["completion_tokens"]!);
        Assert.Equal("tiny-eos", (string?)json["model"]);
    }
}
