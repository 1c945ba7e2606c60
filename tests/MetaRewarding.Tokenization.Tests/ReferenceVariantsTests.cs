using Xunit.Abstractions;

namespace MetaRewarding.Tokenization.Tests;

/// <summary>
/// The other real tokenizers of the reference packages: cl100k_base (GPT-3.5's tokenizer.json) and
/// Llama 3 Instruct's later tokenizer_config.json (eos = &lt;|eot_id|&gt;, a template that honours
/// add_generation_prompt).
/// </summary>
[Collection(ReferenceTokenizersGroup.Name)]
public sealed class ReferenceVariantsTests(ReferenceTokenizers reference, ITestOutputHelper output)
{
    [Fact]
    public void Cl100kBase_ThousandsOfVariedStrings_MatchJsReferenceIds()
    {
        var texts = TestStrings.Generate(3000, seed: 100277);
        var (expected, _) = reference.Encode(texts, [], ReferenceTokenizers.Cl100kPackage);
        IdComparison.AssertAllEqual(texts, expected, text => OpenAiEncodings.Cl100kBase.Encode(text, SpecialTokenHandling.Recognize), output);
    }

    [Fact]
    public void FromModelFolder_Cl100kTokenizerJson_EncodesLikeTheBuiltInEncoding()
    {
        var fromJson = reference.Cl100kFromJson;

        Assert.Equal(OpenAiEncodings.Cl100kBase.VocabularySize, fromJson.VocabularySize);
        Assert.Equal(OpenAiEncodings.Cl100kBase.RankCount, fromJson.RankCount);
        Assert.Equal(OpenAiEncodings.Cl100kBase.SpecialTokens.IdsByText.OrderBy(p => p.Value), fromJson.SpecialTokens.IdsByText.OrderBy(p => p.Value));
        foreach (var text in TestStrings.Generate(1000, seed: 21))
        {
            Assert.Equal(OpenAiEncodings.Cl100kBase.Encode(text, SpecialTokenHandling.Recognize), fromJson.Encode(text, SpecialTokenHandling.Recognize));
        }
    }

    [Fact]
    public void Llama3Instruct_ConfigNamesEotAsEos()
    {
        var tokenizer = reference.Llama3Instruct;
        Assert.Equal(128009, tokenizer.SpecialTokens.EndOfText);
        Assert.Equal(128009, tokenizer.SpecialTokens.EndOfTurn);
        Assert.Equal(128000, tokenizer.SpecialTokens.BeginOfText);

        var template = ChatTemplates.FromModelFolder(reference.ModelFolderOf(ReferenceTokenizers.Llama3InstructPackage), tokenizer);
        Assert.Equal([128009, 128001], template.StopTokenIds);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Llama3Instruct_Render_MatchesJsChatTemplate(bool addGenerationPrompt)
    {
        var folder = reference.ModelFolderOf(ReferenceTokenizers.Llama3InstructPackage);
        var tokenizer = reference.Llama3Instruct;
        var template = ChatTemplates.FromModelFolder(folder, tokenizer);
        var conversations = ChatConversations.Generate(150, seed: addGenerationPrompt ? 1 : 2);

        var (_, expected) = reference.Encode([], conversations, ReferenceTokenizers.Llama3InstructPackage, addGenerationPrompt);

        for (var c = 0; c < conversations.Count; c++)
        {
            Assert.Equal(expected[c], template.Render(conversations[c], addGenerationPrompt));
        }
    }
}
