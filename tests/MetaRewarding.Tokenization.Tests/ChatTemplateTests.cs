using MetaRewarding.TestSupport;

namespace MetaRewarding.Tokenization.Tests;

public sealed class ChatTemplateTests
{
    private static readonly CharacterTokenizer Characters = CharacterTokenizer.Create();

    [Fact]
    public void PlainRender_SandboxActorPrompt_IsBosThenTheTextWithNothingAdded()
    {
        var template = new PlainChatTemplate(Characters);
        var ids = template.Render([ChatMessage.User("R abcde\n")], addGenerationPrompt: true);
        Assert.Equal([1, .. Characters.Encode("R abcde\n")], ids);
    }

    [Fact]
    public void PlainRender_AssistantTurns_EndWithEos()
    {
        var template = new PlainChatTemplate(Characters);
        var ids = template.Render([ChatMessage.User("R ab\n"), ChatMessage.Assistant("A: ba"), ChatMessage.User("R cd\n")], addGenerationPrompt: true);
        Assert.Equal([1, .. Characters.Encode("R ab\nA: ba"), 2, .. Characters.Encode("R cd\n")], ids);
        Assert.Equal([2], template.StopTokenIds);
    }

    [Fact]
    public void PlainRenderAssistantReply_AfterPrompt_EqualsRenderingTheWholeConversation()
    {
        var template = new PlainChatTemplate(Characters);
        int[] joined = [.. template.Render([ChatMessage.User("R ab\n")], true), .. template.RenderAssistantReply("A: ba")];
        Assert.Equal(template.Render([ChatMessage.User("R ab\n"), ChatMessage.Assistant("A: ba")], false), joined);
    }

    [Fact]
    public void PlainRender_TokenizerWithoutBos_StartsWithTheText()
    {
        var template = new PlainChatTemplate(OpenAiEncodings.Cl100kBase);
        Assert.Equal(OpenAiEncodings.Cl100kBase.Encode("hello world"), template.Render([ChatMessage.User("hello world")], true));
        Assert.Equal([100257], template.StopTokenIds);
    }

    [Fact]
    public void Render_EmptyConversation_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PlainChatTemplate(Characters).Render([], true));
    }

    [Fact]
    public void Llama3Template_TokenizerWithoutHeaderTokens_ThrowsNamingTheToken()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new Llama3ChatTemplate(OpenAiEncodings.Gpt2));
        Assert.Contains("<|begin_of_text|>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromModelFolder_WithoutChatTemplate_IsPlain()
    {
        using var folder = new TemporaryFolder("mr-tokenization-");
        Assert.IsType<PlainChatTemplate>(ChatTemplates.FromModelFolder(folder.Path, Characters));
    }

    [Fact]
    public void FromModelFolder_UnknownChatTemplate_IsRefusedNamingTheFile()
    {
        using var folder = new TemporaryFolder("mr-tokenization-");
        File.WriteAllText(Path.Combine(folder.Path, "tokenizer_config.json"),
            """{"chat_template": "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>{% endfor %}"}""");

        var error = Assert.Throws<NotSupportedException>(() => ChatTemplates.FromModelFolder(folder.Path, Characters));
        Assert.Contains("tokenizer_config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("<|im_start|>", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" \t text \n", "text")]
    [InlineData("\u001Ctext\u001F", "text")] // Python's str.strip() removes the information separators
    [InlineData("\u00A0text\u3000", "text")]
    [InlineData("te xt", "te xt")]
    [InlineData("   ", "")]
    public void PythonStrip_StripsWhatJinjasTrimStrips(string text, string stripped)
    {
        Assert.Equal(stripped, Llama3ChatTemplate.PythonStrip(text));
    }
}
