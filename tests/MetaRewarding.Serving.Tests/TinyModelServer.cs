using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Engine;
using MetaRewarding.Modeling.Generation;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Tokenization;
using static TorchSharp.torch;

namespace MetaRewarding.Serving.Tests;

/// <summary>
/// A tiny random Llama (2 layers, grouped-query attention, context 96) over a character tokenizer, saved as a model
/// folder and served by a real <see cref="OpenAiServer"/> on a free loopback port; the same folder loaded again as
/// <see cref="Direct"/> is the reference every HTTP answer is compared with (the engine's own generation).
/// </summary>
public sealed class TinyModelServer : IAsyncLifetime
{
    public const string Alphabet = "abcdefghijklmnopqrstuvwxyz .,:?!+0123456789";

    private readonly string root = Directory.CreateTempSubdirectory("mr-serve-tests-").FullName;
    private CheckpointEngine? served;

    public string ModelFolder => Path.Combine(root, "model");

    public OpenAiServer Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The same checkpoint, loaded separately: generation without the server.</summary>
    public CheckpointEngine Direct { get; private set; } = null!;

    public static LlamaConfig Config(int vocab) => new()
    {
        VocabSize = vocab,
        HiddenSize = 32,
        IntermediateSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 8,
        BosTokenId = 1,
        EosTokenIds = [2],
        PadTokenId = 0,
        MaxPositionEmbeddings = 96,
    };

    /// <summary>Writes the tiny model (weights from <paramref name="seed"/>) and its tokenizer to <paramref name="path"/>.</summary>
    public static void WriteModel(string path, long seed = 11)
    {
        TorchRuntime.Initialize();
        var tokenizer = CharacterTokenizer.Create(Alphabet);
        using var model = LlamaForCausalLM.Create(Config(tokenizer.VocabularySize), ScalarType.Float32, CPU, seed);
        model.SavePretrained(path);
        CharacterTokenizerFile.Save(tokenizer, path);
    }

    public async Task InitializeAsync()
    {
        WriteModel(ModelFolder);
        served = CheckpointEngine.Load(ModelFolder, ScalarType.Float32, CPU);
        Direct = CheckpointEngine.Load(ModelFolder, ScalarType.Float32, CPU);
        Server = await OpenAiServer.StartAsync(served, new ServeOptions { Port = 0, MaxBatchSize = 8 });
        Http = new HttpClient { BaseAddress = Server.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        served?.Dispose();
        Direct.Dispose();
        Directory.Delete(root, recursive: true);
    }

    /// <summary>POSTs <paramref name="body"/> to <paramref name="route"/>; the status and the parsed JSON answer.</summary>
    public async Task<(int Status, JsonObject Json)> PostAsync(string route, object body)
    {
        using var response = await Http.PostAsJsonAsync(route, body);
        return ((int)response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>POSTs raw text (for bodies that are not JSON objects).</summary>
    public async Task<(int Status, JsonObject Json)> PostRawAsync(string route, string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(route, content);
        return ((int)response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>The engine's own completion of <paramref name="promptIds"/> (greedy unless a temperature is given).</summary>
    public GenerationResult Generate(int[] promptIds, int maxTokens, long seed = 0, double? temperature = null, IReadOnlyList<string>? stop = null) =>
        Direct.Generate(
            [new GenerationRequest { PromptIds = promptIds, Seed = seed }],
            new GenerationOptions { MaxNewTokens = maxTokens, Greedy = temperature is null, Temperature = temperature ?? 1, StopStrings = stop ?? [] })[0];
}

[CollectionDefinition(Name)]
public sealed class TinyModelServerGroup : ICollectionFixture<TinyModelServer>
{
    public const string Name = "tiny model behind serve";
}
