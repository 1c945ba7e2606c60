using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model.OpenAi;
using MetaRewarding.Alignment.Configuration;
using Temporalio.Exceptions;

namespace MetaRewarding.Activities.Tests.Model.OpenAi;

/// <summary>
/// Bad endpoints, each behind a misbehaving test double (<see cref="OpenAiEndpointDouble"/>): a non-OpenAI server, a
/// 4xx, a 5xx, a timeout, an answer without choices, a wrong model name, a refused key, no server at all. Each fails
/// with a message naming the endpoint and what to change: non-retryably (InvalidConfiguration) when only a person can
/// fix it, retryably (the activity retries and resumes) when the server may recover. Nothing is written.
/// </summary>
[Collection(SandboxRunGroup.Name)]
public sealed class OpenAiFailureTests(SandboxRunFixture fixture)
{
    private string SeedFolder => fixture.Store.Resolve(fixture.SeedModel);

    private string ModelsAnswer(params string[] names) =>
        "{\"object\": \"list\", \"data\": [" + string.Join(", ", (names.Length == 0 ? [SeedFolder] : names).Select(n => $"{{\"id\": {System.Text.Json.JsonSerializer.Serialize(n)}, \"object\": \"model\"}}")) + "]}";

    private async Task<Exception> GenerateAgainstAsync(OpenAiEndpointDouble server, string runId, Func<GenerationSettings, GenerationSettings>? adjust = null)
    {
        var settings = ServedSeedModel.Openai(server.BaseAddress, maxRetries: 1);
        var run = await ServedSeedModel.WriteRunAsync(fixture, runId, adjust?.Invoke(settings) ?? settings);
        var activities = new MetaRewarding.Activities.Model.ModelActivities(fixture.Options with { OpenAiFirstBackoff = TimeSpan.FromMilliseconds(5) }, fixture.Cache);
        var failure = await Record.ExceptionAsync(() => SandboxRunFixture.RunAsync(() =>
            activities.GenerateResponsesAsync(new ShardInput(fixture.Context(runId, run), [fixture.PromptSlice(runId)], 0, 2))));
        Assert.NotNull(failure);
        Assert.Null(fixture.Store.TryGetFile(ArtifactStore.RunPath(runId, "iteration-1", "responses", "shard-0000.jsonl")));
        return failure;
    }

    private static void AssertNonRetryable(Exception failure, params string[] phrases)
    {
        var application = Assert.IsType<ApplicationFailureException>(failure);
        Assert.True(application.NonRetryable);
        Assert.Equal(ErrorTypes.InvalidConfiguration, application.ErrorType);
        Assert.All(phrases, p => Assert.Contains(p, application.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NotAnOpenAiServer_HtmlAnswer_FailsNonRetryablyNamingTheUrl()
    {
        await using var server = await OpenAiEndpointDouble.StartAsync((c, _) => OpenAiEndpointDouble.Answer(c, 200, "<html>Grafana</html>", "text/html"));

        var failure = await GenerateAgainstAsync(server, "oa-html");

        AssertNonRetryable(failure, $"GET {server.BaseAddress}v1/models answered 200 with a body that is not a JSON object: <html>Grafana</html>", "not an OpenAI-compatible server", "generation.baseUrl");
    }

    [Fact]
    public async Task NotAnOpenAiServer_404OnModels_FailsNonRetryably()
    {
        await using var server = await OpenAiEndpointDouble.StartAsync((c, _) => OpenAiEndpointDouble.Answer(c, 404, "Cannot GET /v1/models", "text/plain"));

        var failure = await GenerateAgainstAsync(server, "oa-404");

        AssertNonRetryable(failure, "HTTP 404 (Cannot GET /v1/models)", "not an OpenAI-compatible server");
    }

    [Fact]
    public async Task WrongModelServed_FailsNonRetryablyWithTheCommandThatServesIt()
    {
        await using var server = await OpenAiEndpointDouble.StartAsync((c, _) => OpenAiEndpointDouble.Answer(c, 200, ModelsAnswer("/models/llama-3-8b")));

        var failure = await GenerateAgainstAsync(server, "oa-wrong-model");

        AssertNonRetryable(failure, "serves '/models/llama-3-8b'", $"not '{SeedFolder}'", $"vllm serve '{SeedFolder}' --port {server.BaseAddress.Port}",
            $"metarewarding serve --model '{SeedFolder}'", "reset this activity");
        Assert.Equal(0, server.Completions);
    }

    [Fact]
    public async Task ModelNameTemplate_NamesTheIteration()
    {
        await using var server = await OpenAiEndpointDouble.StartAsync((c, _) => OpenAiEndpointDouble.Answer(c, 200, ModelsAnswer("run-iteration-2")));

        var failure = await GenerateAgainstAsync(server, "oa-template", s => s with { Model = "run-iteration-{iteration}" });

        AssertNonRetryable(failure, "not 'run-iteration-1'", "--served-model-name 'run-iteration-1'");
    }

    [Fact]
    public async Task ServerError_IsRetriedWithBackoff_ThenFailsRetryablyNamingTheEndpoint()
    {
        await using var server = await OpenAiEndpointDouble.StartAsync((c, _) => c.Request.Path == "/v1/models"
            ? OpenAiEndpointDouble.Answer(c, 200, ModelsAnswer())
            : OpenAiEndpointDouble.Answer(c, 500, """{"error": {"message": "CUDA out of memory"}}"""));

        var failure = await GenerateAgainstAsync(server, "oa-500");

        var retryable = Assert.IsType<GenerationServerException>(failure);
        Assert.Contains($"POST {server.BaseAddress}v1/completions: HTTP 500 CUDA out of memory, 2 attempt(s)", retryable.Message, StringComparison.Ordinal);
        Assert.Contains("Temporal retries it", retryable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransientErrors_AreRetried_ThenTheShardCompletes()
    {
        await using var served = await ServedSeedModel.StartAsync(fixture);
        using var upstream = new HttpClient { BaseAddress = served.Server.BaseAddress };
        var failures = 0;
        await using var server = await OpenAiEndpointDouble.StartAsync(async (c, body) =>
        {
            if (c.Request.Path == "/v1/completions" && Interlocked.Increment(ref failures) <= 3)
            {
                await OpenAiEndpointDouble.Answer(c, failures == 1 ? 429 : 503, """{"error": {"message": "busy"}}""");
                return;
            }

            await OpenAiEndpointDouble.Forward(c, body, upstream);
        });
        var run = await ServedSeedModel.WriteRunAsync(fixture, "oa-transient", ServedSeedModel.Openai(server.BaseAddress, maxRetries: 3, maxConcurrency: 1));
        var activities = new MetaRewarding.Activities.Model.ModelActivities(fixture.Options with { OpenAiFirstBackoff = TimeSpan.FromMilliseconds(5) }, fixture.Cache);

        var written = await SandboxRunFixture.RunAsync(() => activities.GenerateResponsesAsync(new ShardInput(fixture.Context("oa-transient", run), [fixture.PromptSlice("oa-transient")], 0, 2)));

        Assert.Equal(12, File.ReadAllLines(fixture.Store.Resolve(written)).Length);
        Assert.Equal(12 + 3, server.Completions);
    }

    [Fact]
    public async Task BadRequest_FailsNonRetryablyWithTheServersMessage()
    {
        await using var server = await OpenAiEndpointDouble.StartAsync((c, _) => c.Request.Path == "/v1/models"
            ? OpenAiEndpointDouble.Answer(c, 200, ModelsAnswer())
            : OpenAiEndpointDouble.Answer(c, 400, """{"error": {"message": "This model's maximum context length is 64 tokens.", "type": "invalid_request_error"}}"""));

        var failure = await GenerateAgainstAsync(server, "oa-400", s => s with { MaxConcurrency = 1 });

        AssertNonRetryable(failure, $"POST {server.BaseAddress}v1/completions answered HTTP 400: This model's maximum context length is 64 tokens.", "retrying cannot help");
        Assert.Equal(1, server.Completions); // not retried
    }

    [Fact]
    public async Task Timeout_IsRetried_ThenFailsRetryably()
    {
        await using var server = await OpenAiEndpointDouble.StartAsync(async (c, _) =>
        {
            if (c.Request.Path == "/v1/models")
            {
                await OpenAiEndpointDouble.Answer(c, 200, ModelsAnswer());
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });

        var failure = await GenerateAgainstAsync(server, "oa-timeout", s => s with { RequestTimeoutSeconds = 0.2 });

        var retryable = Assert.IsType<GenerationServerException>(failure);
        Assert.Contains("no answer within generation.requestTimeoutSeconds = 0.2 s", retryable.Message, StringComparison.Ordinal);
        Assert.Contains($"{server.BaseAddress}v1/completions", retryable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswerWithoutChoices_FailsNonRetryably()
    {
        await using var server = await OpenAiEndpointDouble.StartAsync((c, _) => OpenAiEndpointDouble.Answer(c, 200, c.Request.Path == "/v1/models"
            ? ModelsAnswer()
            : """{"id": "x", "object": "text_completion", "choices": []}"""));

        var failure = await GenerateAgainstAsync(server, "oa-no-choices");

        AssertNonRetryable(failure, $"POST {server.BaseAddress}v1/completions answered 200 without choices");
    }

    [Fact]
    public async Task RefusedKey_FailsNonRetryablyNamingApiKeyEnv_AndTheKeyIsSentAsBearer()
    {
        Environment.SetEnvironmentVariable("MR_TEST_OPENAI_KEY", "sk-test-123");
        await using var server = await OpenAiEndpointDouble.StartAsync((c, _) => OpenAiEndpointDouble.Answer(c, 401, """{"error": {"message": "invalid api key"}}"""));

        var failure = await GenerateAgainstAsync(server, "oa-401", s => s with { ApiKeyEnv = "MR_TEST_OPENAI_KEY" });

        AssertNonRetryable(failure, "HTTP 401: invalid api key", "generation.apiKeyEnv", "MR_TEST_OPENAI_KEY");
        Assert.Equal("Bearer sk-test-123", server.Requests.First().Authorization);
    }

    [Fact]
    public async Task ApiKeyEnvNotSet_FailsNonRetryablyBeforeAnyRequest()
    {
        await using var server = await OpenAiEndpointDouble.StartAsync((c, _) => OpenAiEndpointDouble.Answer(c, 200, ModelsAnswer()));

        var failure = await GenerateAgainstAsync(server, "oa-no-key", s => s with { ApiKeyEnv = "MR_TEST_UNSET_VARIABLE" });

        AssertNonRetryable(failure, "MR_TEST_UNSET_VARIABLE, which is not set on this worker");
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task NoServer_FailsRetryablyNamingTheEndpoint()
    {
        int port;
        await using (var gone = await OpenAiEndpointDouble.StartAsync((c, _) => Task.CompletedTask))
        {
            port = gone.BaseAddress.Port;
        }

        var settings = ServedSeedModel.Openai(new Uri($"http://127.0.0.1:{port}/v1"));
        var run = await ServedSeedModel.WriteRunAsync(fixture, "oa-down", settings);
        var failure = await Record.ExceptionAsync(() => SandboxRunFixture.RunAsync(() =>
            fixture.Activities.GenerateResponsesAsync(new ShardInput(fixture.Context("oa-down", run), [fixture.PromptSlice("oa-down")], 0, 2))));

        var retryable = Assert.IsType<GenerationServerException>(failure);
        Assert.Contains($"GET http://127.0.0.1:{port}/v1/models: no connection", retryable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApiRoot_AcceptsTheRootOrTheV1Url()
    {
        Assert.Equal(new Uri("http://h:8000/v1/"), OpenAiEndpoint.ApiRootOf("http://h:8000"));
        Assert.Equal(new Uri("http://h:8000/v1/"), OpenAiEndpoint.ApiRootOf("http://h:8000/"));
        Assert.Equal(new Uri("http://h:8000/v1/"), OpenAiEndpoint.ApiRootOf("http://h:8000/v1"));
        Assert.Equal(new Uri("https://h/proxy/v1/"), OpenAiEndpoint.ApiRootOf("https://h/proxy/v1/"));
    }
}
