using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MetaRewarding.Serving.Tests;

/// <summary>
/// <c>stream: true</c> over real HTTP: server-sent events whose deltas add up to exactly the non-streamed answer (stop
/// strings never leak), one id per stream, a finish chunk per choice, usage on request, and <c>[DONE]</c> last.
/// </summary>
[Collection(TinyModelServerGroup.Name)]
public sealed class StreamingTests(TinyModelServer fixture)
{
    private const string Prompt = "what is 2+3? ";

    [Fact]
    public async Task Completions_Stream_DeltasAddUpToTheAnswer_WithUsageAndDone()
    {
        var (_, whole) = await fixture.PostAsync("v1/completions", new { prompt = Prompt, max_tokens = 20, temperature = 0.9, seed = 3, n = 2 });

        var (contentType, events) = await StreamAsync("v1/completions", new { prompt = Prompt, max_tokens = 20, temperature = 0.9, seed = 3, n = 2, stream = true, stream_options = new { include_usage = true } });

        Assert.Equal("text/event-stream", contentType);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!.AsObject()).ToList();
        Assert.Single(chunks.Select(c => (string?)c["id"]).Distinct());
        Assert.All(chunks, c => Assert.Equal("text_completion", (string?)c["object"]));
        var usage = chunks[^1];
        Assert.Empty(usage["choices"]!.AsArray());
        Assert.Equal(whole["usage"]!.ToJsonString(), usage["usage"]!.ToJsonString());
        for (var index = 0; index < 2; index++)
        {
            var mine = chunks.SelectMany(c => c["choices"]!.AsArray()).Where(c => (int)c!["index"]! == index).ToList();
            Assert.True(mine.Count >= 3, $"choice {index} came in {mine.Count} chunks; its text should stream as it grows");
            Assert.Equal((string?)whole["choices"]![index]!["text"], string.Concat(mine.Select(c => (string?)c!["text"])));
            Assert.All(mine[..^1], c => Assert.Null(c!["finish_reason"]));
            Assert.Equal((string?)whole["choices"]![index]!["finish_reason"], (string?)mine[^1]!["finish_reason"]);
        }
    }

    [Fact]
    public async Task Completions_StreamWithStop_NeverSendsTheStopString()
    {
        var full = fixture.Generate(fixture.Direct.EncodePrompt(Prompt), 24).Text!;
        var stop = full.Substring(6, 3);
        var cut = full[..full.IndexOf(stop, StringComparison.Ordinal)];

        var (_, events) = await StreamAsync("v1/completions", new { prompt = Prompt, max_tokens = 24, temperature = 0, stop, stream = true });

        var choices = events[..^1].SelectMany(e => JsonNode.Parse(e)!["choices"]!.AsArray()).ToList();
        Assert.Equal(cut, string.Concat(choices.Select(c => (string?)c!["text"])));
        Assert.Equal("stop", (string?)choices[^1]!["finish_reason"]);
        Assert.Equal(stop, (string?)choices[^1]!["stop_reason"]);
    }

    [Fact]
    public async Task Chat_Stream_StartsWithTheAssistantRole_AndAddsUpToTheMessage()
    {
        var messages = new[] { new { role = "user", content = "what is 2+3?" } };
        var (_, whole) = await fixture.PostAsync("v1/chat/completions", new { messages, max_tokens = 12, temperature = 0 });

        var (_, events) = await StreamAsync("v1/chat/completions", new { messages, max_tokens = 12, temperature = 0, stream = true });

        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!.AsObject()).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", (string?)c["object"]));
        var deltas = chunks.Select(c => c["choices"]![0]!).ToList();
        Assert.Equal("assistant", (string?)deltas[0]!["delta"]!["role"]);
        Assert.All(deltas.Skip(1), d => Assert.Null(d!["delta"]!["role"]));
        Assert.Equal((string?)whole["choices"]![0]!["message"]!["content"], string.Concat(deltas.Select(d => (string?)d!["delta"]!["content"])));
        Assert.Equal("length", (string?)deltas[^1]!["finish_reason"]);
    }

    /// <summary>POSTs a streaming request; the content type and the <c>data:</c> payloads in order.</summary>
    private async Task<(string? ContentType, string[] Events)> StreamAsync(string route, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = JsonContent.Create(body) };
        using var response = await fixture.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.StartsWith("data: ", StringComparison.Ordinal) ? e["data: ".Length..] : throw new InvalidDataException($"not an SSE data event: {e}"))
            .ToArray();
        return (response.Content.Headers.ContentType?.MediaType, events);
    }
}
