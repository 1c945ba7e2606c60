using MetaRewarding.Tokenization;

namespace MetaRewarding.Serving.Tests;

/// <summary><c>/v1/chat/completions</c> over real HTTP: the conversation goes through the model's chat template.</summary>
[Collection(TinyModelServerGroup.Name)]
public sealed class ChatCompletionsTests(TinyModelServer fixture)
{
    [Fact]
    public async Task Chat_Greedy_IsTheEnginesGenerationOfTheRenderedConversation()
    {
        var conversation = new[] { ChatMessage.System("be brief."), ChatMessage.User("what is 2+3?") };
        var ids = fixture.Direct.RenderChat(conversation);
        var expected = fixture.Generate(ids, 10);

        var (status, json) = await fixture.PostAsync("v1/chat/completions", new
        {
            model = fixture.Server.ModelName,
            messages = new object[] { new { role = "system", content = "be brief." }, new { role = "user", content = new[] { new { type = "text", text = "what is 2+3?" } } } },
            max_tokens = 10,
            temperature = 0,
        });

        Assert.Equal(200, status);
        Assert.Equal("chat.completion", (string?)json["object"]);
        Assert.StartsWith("chatcmpl-", (string?)json["id"], StringComparison.Ordinal);
        var choice = json["choices"]![0]!;
        Assert.Equal("assistant", (string?)choice["message"]!["role"]);
        Assert.Equal(expected.Text, (string?)choice["message"]!["content"]);
        Assert.Equal("length", (string?)choice["finish_reason"]);
        Assert.Equal(ids.Length, (int)json["usage"]!["prompt_tokens"]!);
    }

    [Fact]
    public async Task Chat_WithoutMaxTokens_MayUseTheRestOfTheContext()
    {
        var ids = fixture.Direct.RenderChat([ChatMessage.User("hi")]);

        var (status, json) = await fixture.PostAsync("v1/chat/completions", new { messages = new[] { new { role = "user", content = "hi" } }, temperature = 0 });

        Assert.Equal(200, status);
        var generated = (int)json["usage"]!["completion_tokens"]!;
        var reason = (string?)json["choices"]![0]!["finish_reason"];
        Assert.True(reason == "stop" || generated == 96 - ids.Length, $"finish_reason {reason} after {generated} tokens; a length finish must use the whole context ({96 - ids.Length})");
    }
}
