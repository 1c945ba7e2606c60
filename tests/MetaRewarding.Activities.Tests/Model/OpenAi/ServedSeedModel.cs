using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Modeling.Engine;
using MetaRewarding.Serving;
using static TorchSharp.torch;

namespace MetaRewarding.Activities.Tests.Model.OpenAi;

/// <summary>
/// The sandbox fixture's trained seed model behind the real <c>serve</c> (<see cref="OpenAiServer"/>) on a loopback
/// port, and runs of the fixture's configuration that sample through it with the <c>openai</c> backend.
/// </summary>
internal sealed class ServedSeedModel : IAsyncDisposable
{
    private readonly CheckpointEngine engine;

    private ServedSeedModel(CheckpointEngine engine, OpenAiServer server)
    {
        this.engine = engine;
        Server = server;
    }

    public OpenAiServer Server { get; }

    public static async Task<ServedSeedModel> StartAsync(SandboxRunFixture fixture, string? name = null, string? apiKey = null)
    {
        var engine = CheckpointEngine.Load(fixture.Store.Resolve(fixture.SeedModel), ScalarType.Float32, CPU);
        return new ServedSeedModel(engine, await OpenAiServer.StartAsync(engine, new ServeOptions { Port = 0, MaxBatchSize = 16, ModelName = name, ApiKey = apiKey }));
    }

    /// <summary>Writes run <paramref name="runId"/>: the fixture's configuration with <paramref name="generation"/>.</summary>
    public static Task<ArtifactRef> WriteRunAsync(SandboxRunFixture fixture, string runId, GenerationSettings generation)
    {
        var input = SandboxRunFixture.Input(runId);
        return fixture.WriteRunAsync(input with { Configuration = input.Configuration with { Generation = generation } });
    }

    /// <summary>The openai backend against <paramref name="baseUrl"/>, quick to give up (tests).</summary>
    public static GenerationSettings Openai(Uri baseUrl, int maxRetries = 0, int maxConcurrency = 8) => new()
    {
        Backend = GenerationBackend.Openai,
        BaseUrl = baseUrl.ToString(),
        MaxRetries = maxRetries,
        MaxConcurrency = maxConcurrency,
        RequestTimeoutSeconds = 60,
    };

    /// <summary>Shard 0's responses, judgments and meta-judgments of <paramref name="runId"/>, each step reading the last.</summary>
    public static async Task<(ArtifactRef Responses, ArtifactRef Judgments, ArtifactRef MetaJudgments)> RunShardsAsync(
        SandboxRunFixture fixture, ModelActivities activities, string runId, ArtifactRef run)
    {
        var context = fixture.Context(runId, run);
        var responses = await SandboxRunFixture.RunAsync(() => activities.GenerateResponsesAsync(new ShardInput(context, [fixture.PromptSlice(runId)], 0, 2)));
        var judgments = await SandboxRunFixture.RunAsync(() => activities.JudgeResponsesAsync(new ShardInput(context, [responses], 0, 2)));
        var meta = await SandboxRunFixture.RunAsync(() => activities.MetaJudgeAsync(new ShardInput(context, [responses, judgments], 0, 2)));
        return (responses, judgments, meta);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        engine.Dispose();
    }
}
