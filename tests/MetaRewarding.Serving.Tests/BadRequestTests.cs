using System.Text.Json.Nodes;

namespace MetaRewarding.Serving.Tests;

/// <summary>Bad requests get a 4xx in OpenAI's error shape naming the field, and the server keeps serving.</summary>
[Collection(TinyModelServerGroup.Name)]
public sealed class BadRequestTests(TinyModelServer fixture)
{
    public static TheoryData<string, string, int, string?, string> Cases() => new()
    {
        { "v1/completions", "{not json", 400, null, "not valid JSON" },
        { "v1/completions", "[1, 2]", 400, null, "must be a JSON object" },
        { "v1/completions", """{"prompt": "a", "max_token": 5}""", 400, "max_token", "unrecognized request argument 'max_token'" },
        { "v1/completions", """{"max_tokens": 5}""", 400, "prompt", "prompt is required" },
        { "v1/completions", """{"prompt": "a", "temperature": 3}""", 400, "temperature", "temperature must be in [0, 2]" },
        { "v1/completions", """{"prompt": "a", "top_p": 0}""", 400, "top_p", "top_p must be in (0, 1]" },
        { "v1/completions", """{"prompt": "a", "n": 0}""", 400, "n", "n must be an integer in [1, 128]" },
        { "v1/completions", """{"prompt": "a", "max_tokens": 0}""", 400, "max_tokens", "max_tokens must be a positive integer" },
        { "v1/completions", """{"prompt": "a", "max_tokens": "5"}""", 400, "max_tokens", "max_tokens must be an integer, got the string \"5\"" },
        { "v1/completions", """{"prompt": "a", "seed": 1.5}""", 400, "seed", "seed must be an integer" },
        { "v1/completions", """{"prompt": "a", "stop": ["1", "2", "3", "4", "5"]}""", 400, "stop", "at most 4" },
        { "v1/completions", """{"prompt": "a", "stop": 7}""", 400, "stop", "stop must be a string or an array of strings" },
        { "v1/completions", """{"prompt": "a", "stream": true, "max_tokens": 500}""", 400, "max_tokens", "maximum context length is 96 tokens" },
        { "v1/completions", """{"prompt": "a", "stream": true, "stream_options": {"include_usage": "yes"}}""", 400, "stream_options", "stream_options must be an object" },
        { "v1/completions", """{"prompt": "a", "logprobs": 2}""", 400, "logprobs", "not supported" },
        { "v1/completions", """{"prompt": "a", "presence_penalty": 0.5}""", 400, "presence_penalty", "no presence penalty" },
        { "v1/completions", """{"prompt": "a", "echo": true}""", 400, "echo", "not supported" },
        { "v1/completions", """{"prompt": [], "max_tokens": 5}""", 400, "prompt", "empty list" },
        { "v1/completions", """{"prompt": [5, 99999]}""", 400, "prompt", "outside the vocabulary" },
        { "v1/completions", """{"prompt": [5, -1]}""", 400, "prompt", "outside the vocabulary" },
        { "v1/completions", """{"prompt": "ABC"}""", 400, "prompt", "not in the tokenizer's alphabet" },
        { "v1/chat/completions", """{"messages": [{"role": "user", "content": "ABC"}]}""", 400, "messages", "not in the tokenizer's alphabet" },
        { "v1/completions", """{"prompt": {"a": 1}}""", 400, "prompt", "prompt must be a string, a list of token ids" },
        { "v1/completions", """{"prompt": "a", "max_tokens": 200}""", 400, "max_tokens", "maximum context length is 96 tokens" },
        { "v1/completions", """{"prompt": "a", "model": "gpt-4o"}""", 404, "model", "The model 'gpt-4o' does not exist" },
        { "v1/chat/completions", """{"messages": []}""", 400, "messages", "non-empty array" },
        { "v1/chat/completions", """{"messages": [{"content": "hi"}]}""", 400, "messages[0]", "non-empty string \"role\"" },
        { "v1/chat/completions", """{"messages": [{"role": "user", "content": [{"type": "image_url"}]}]}""", 400, "messages[0].content", "only text is supported" },
        { "v1/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 4, "max_completion_tokens": 4}""", 400, "max_completion_tokens", "not both" },
        { "v1/chat/completions", """{"messages": [{"role": "user", "content": "hi"}], "model": "other"}""", 404, "model", "does not exist" },
        { "v1/embeddings", """{"input": "a"}""", 404, null, "not an endpoint of this server" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadRequest_AnswersOpenAiErrorShape_NamingTheField(string route, string body, int status, string? param, string message)
    {
        var (got, json) = await fixture.PostRawAsync(route, body);

        Assert.Equal(status, got);
        var error = Assert.IsType<JsonObject>(json["error"]);
        Assert.Contains(message, (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(param, (string?)error["param"]);
        Assert.False(string.IsNullOrEmpty((string?)error["type"]));
        Assert.Equal(200, (await fixture.PostAsync("v1/completions", new { prompt = "a", max_tokens = 1 })).Status);
    }
}
