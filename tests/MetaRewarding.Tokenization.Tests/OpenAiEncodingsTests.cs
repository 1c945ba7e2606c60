using Microsoft.ML.Tokenizers;

namespace MetaRewarding.Tokenization.Tests;

public sealed class OpenAiEncodingsTests
{
    /// <summary>Ids from OpenAI's tiktoken cookbook ("How to count tokens with tiktoken").</summary>
    [Theory]
    [InlineData("gpt2", "tiktoken is great!", new[] { 83, 1134, 30001, 318, 1049, 0 })]
    [InlineData("gpt2", "2 + 2 = 4", new[] { 17, 1343, 362, 796, 604 })]
    [InlineData("gpt2", "お誕生日おめでとう", new[] { 2515, 232, 45739, 243, 37955, 33768, 98, 2515, 232, 1792, 223, 30640, 30201, 29557 })]
    [InlineData("gpt2", "Hello, world!", new[] { 15496, 11, 995, 0 })]
    [InlineData("cl100k_base", "tiktoken is great!", new[] { 83, 1609, 5963, 374, 2294, 0 })]
    [InlineData("cl100k_base", "2 + 2 = 4", new[] { 17, 489, 220, 17, 284, 220, 19 })]
    [InlineData("cl100k_base", "お誕生日おめでとう", new[] { 33334, 45918, 243, 21990, 9080, 33334, 62004, 16556, 78699 })]
    [InlineData("cl100k_base", "hello world", new[] { 15339, 1917 })]
    public void Encode_DocumentedExamples_GiveTiktokensIds(string encoding, string text, int[] ids)
    {
        var tokenizer = OpenAiEncodings.ByName(encoding);
        Assert.Equal(ids, tokenizer.Encode(text));
        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [Fact]
    public void SpecialTokens_EndOfText_HaveTiktokensIdsAndRoles()
    {
        Assert.Equal([50256], OpenAiEncodings.Gpt2.Encode("<|endoftext|>", SpecialTokenHandling.Recognize));
        Assert.Equal(50256, OpenAiEncodings.Gpt2.SpecialTokens.BeginOfText);
        Assert.Equal(50256, OpenAiEncodings.Gpt2.SpecialTokens.EndOfText);
        Assert.Equal(50257, OpenAiEncodings.Gpt2.VocabularySize);

        Assert.Equal([100257], OpenAiEncodings.Cl100kBase.Encode("<|endoftext|>", SpecialTokenHandling.Recognize));
        Assert.Equal([100276], OpenAiEncodings.Cl100kBase.Encode("<|endofprompt|>", SpecialTokenHandling.Recognize));
        Assert.Null(OpenAiEncodings.Cl100kBase.SpecialTokens.BeginOfText);
        Assert.Equal(100277, OpenAiEncodings.Cl100kBase.VocabularySize);
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("cl100k_base")]
    public void Decode_OfEncode_ReturnsTheOriginalText(string encoding)
    {
        var tokenizer = OpenAiEncodings.ByName(encoding);
        foreach (var text in TestStrings.Generate(2000, seed: 8))
        {
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text, SpecialTokenHandling.Recognize)));
        }
    }

    /// <summary>
    /// Microsoft.ML.Tokenizers' own ready-made tokenizers are a second implementation to compare
    /// with. They split with .NET's Regex, exact only inside the Basic Multilingual Plane, so the
    /// comparison keeps BMP text (and leaves out special-token spellings, which they always recognise).
    /// </summary>
    [Theory]
    [InlineData("gpt2", "gpt2")]
    [InlineData("cl100k_base", "gpt-4")]
    public void Encode_BmpText_MatchesMicrosoftMlTokenizersReadyMadeTokenizer(string encoding, string modelName)
    {
        var ours = OpenAiEncodings.ByName(encoding);
        var theirs = TiktokenTokenizer.CreateForModel(modelName);
        var texts = TestStrings.Generate(2000, seed: 13, includeSpecialLooking: false)
            .Select(t => string.Concat(t.EnumerateRunes().Where(r => r.IsBmp)));
        foreach (var text in texts)
        {
            Assert.Equal(theirs.EncodeToIds(text), ours.Encode(text));
        }
    }

    [Fact]
    public void Encode_LoneSurrogates_EncodeAsReplacementCharacter()
    {
        // tiktoken's rule: text that is not valid Unicode has its lone surrogates replaced by U+FFFD.
        var tokenizer = OpenAiEncodings.Cl100kBase;
        Assert.Equal(tokenizer.Encode("a\uFFFDb\uFFFD"), tokenizer.Encode("a\uD800b\uDC00"));
        Assert.Equal("a\uFFFDb\uFFFD", tokenizer.Decode(tokenizer.Encode("a\uD800b\uDC00")));
        Assert.Equal(tokenizer.Encode("😀"), tokenizer.Encode("\uD83D\uDE00"));
    }

    [Fact]
    public void ByName_UnknownEncoding_NamesTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => OpenAiEncodings.ByName("p50k_edit"));
        Assert.Contains("gpt2", error.Message, StringComparison.Ordinal);
        Assert.Contains("cl100k_base", error.Message, StringComparison.Ordinal);
    }
}
