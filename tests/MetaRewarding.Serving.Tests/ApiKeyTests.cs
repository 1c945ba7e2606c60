using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Engine;
using static TorchSharp.torch;

namespace MetaRewarding.Serving.Tests;

/// <summary><c>--api-key</c>: every <c>/v1</c> request must carry the bearer key (401 in OpenAI's shape otherwise); <c>/health</c> stays open.</summary>
[Collection(TinyModelServerGroup.Name)]
public sealed class ApiKeyTests(TinyModelServer fixture)
{
    [Fact]
    public async Task ApiKey_RequestsWithoutIt_Get401_WithIt_Answer()
    {
        using var engine = CheckpointEngine.Load(fixture.ModelFolder, ScalarType.Float32, CPU);
        await using var server = await OpenAiServer.StartAsync(engine, new ServeOptions { Port = 0, ApiKey = "sk-local" });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var without = await http.GetAsync("v1/models");
        using var wrong = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "v1/models") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "sk-other") } });
        using var health = await http.GetAsync("health");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-local");
        using var with = await http.GetAsync("v1/models");

        Assert.Equal(401, (int)without.StatusCode);
        Assert.Equal(401, (int)wrong.StatusCode);
        var error = JsonNode.Parse(await without.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("invalid_api_key", (string?)error["code"]);
        Assert.Contains("Authorization: Bearer", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(200, (int)health.StatusCode);
        Assert.Equal(200, (int)with.StatusCode);
    }
}
