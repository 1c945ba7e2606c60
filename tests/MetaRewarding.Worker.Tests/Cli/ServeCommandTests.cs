using System.Text.Json.Nodes;
using MetaRewarding.Serving;
using MetaRewarding.TestSupport;
using MetaRewarding.Worker.Cli;

namespace MetaRewarding.Worker.Tests.Cli;

/// <summary>The <c>serve</c> verb end to end: loads a checkpoint, answers over real HTTP until stopped, and refuses bad input with exit 2.</summary>
public sealed class ServeCommandTests
{
    private static string TinyCheckpoint => RepositoryPaths.Of("tests/fixtures/hf-fixture/model-a");

    [Fact]
    public async Task Serve_TinyCheckpoint_AnswersTokenIdPromptsUntilStopped()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var stop = new CancellationTokenSource();
        var output = TextWriter.Synchronized(stdout);
        var serving = ServeCommand.ServeAsync(TinyCheckpoint, "float32", "cpu", new ServeOptions { Port = 0, ModelName = "tiny" }, output, TextWriter.Synchronized(stderr), stop.Token);
        string? api = null;
        for (var waited = 0; api is null && waited < 600 && !serving.IsCompleted; waited++)
        {
            await Task.Delay(100); // waiting for the start line, not timing anything
            string text;
            lock (output)
            {
                text = stdout.ToString(); // the synchronized writer locks itself while writing
            }

            api = text.Split(' ').FirstOrDefault(w => w.StartsWith("http://", StringComparison.Ordinal) && w.EndsWith("/v1", StringComparison.Ordinal));
        }

        Assert.True(api is not null, $"no start line; stderr: {stderr}");
        using var http = new HttpClient();
        using var content = new StringContent("""{"model": "tiny", "prompt": [1, 5, 9], "max_tokens": 4, "temperature": 0}""");
        using var response = await http.PostAsync(api + "/completions", content);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(3, (int)json["usage"]!["prompt_tokens"]!);
        Assert.InRange((int)json["usage"]!["completion_tokens"]!, 1, 4);
        Assert.NotNull(json["choices"]![0]!["token_ids"]); // no tokenizer in the folder: ids, not text
        await stop.CancelAsync();
        Assert.Equal(ServeCommand.ExitStopped, await serving);
        Assert.Contains("serve: stopping.", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_MissingFolder_ExitsTwoNamingIt()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await ServeCommand.ServeAsync("/no/such-model", "float32", "cpu", new ServeOptions { Port = 0 }, stdout, stderr, CancellationToken.None);

        Assert.Equal(ServeCommand.ExitBadInput, code);
        Assert.Contains("serve: model folder '/no/such-model' does not exist", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_BadHost_ExitsTwo()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await ServeCommand.ServeAsync(TinyCheckpoint, "float32", "cpu", new ServeOptions { Port = 0, Host = "localhost:80" }, stdout, stderr, CancellationToken.None);

        Assert.Equal(ServeCommand.ExitBadInput, code);
        Assert.Contains("--host must be an IP address", stderr.ToString(), StringComparison.Ordinal);
    }
}
