using MetaRewarding.TestSupport;

namespace MetaRewarding.Tokenization.Tests;

public sealed class CharacterTokenizerTests
{
    [Fact]
    public void Create_SandboxAlphabet_HasPadBosEosThenSymbolsInOrdinalOrder()
    {
        var tokenizer = CharacterTokenizer.Create();

        // 26 + 26 letters, 10 digits and " :+-|\n=" (7 symbols), after 3 special tokens.
        Assert.Equal(3 + 69, tokenizer.VocabularySize);
        Assert.Equal(0, tokenizer.SpecialTokens.Padding);
        Assert.Equal(1, tokenizer.SpecialTokens.BeginOfText);
        Assert.Equal(2, tokenizer.SpecialTokens.EndOfText);
        Assert.Null(tokenizer.SpecialTokens.EndOfTurn);
        Assert.Equal([3, 4], tokenizer.Encode("\n ")); // '\n' (0x0A) and ' ' (0x20) sort first

        // The same ids as the PyTorch prototype (sandbox-prototype/sb3.py: sorted characters from id 3).
        Assert.Equal([5, 6, 7, 16, 17, 18, 19, 44, 45, 70, 71], tokenizer.Encode("+-09:=AZaz|"));
    }

    [Fact]
    public void Encode_SandboxPrompts_RoundTripOneIdPerCharacter()
    {
        var tokenizer = CharacterTokenizer.Create();
        foreach (var text in new[] { "R abcde\n", "A: edcba", "J R abcde|A: edcba|", "++-+- Score: 3", "M R ab|A: ba|++--- Score: 2|+++++ Score: 5|", "Winner: A" })
        {
            var ids = tokenizer.Encode(text);
            Assert.Equal(text.Length, ids.Length);
            Assert.Equal(text, tokenizer.Decode(ids));
        }
    }

    [Fact]
    public void Encode_CharacterOutsideAlphabet_ThrowsNamingCharacterAndPosition()
    {
        var error = Assert.Throws<ArgumentException>(() => CharacterTokenizer.Create().Encode("abc?d"));
        Assert.Contains("'?' (U+003F)", error.Message, StringComparison.Ordinal);
        Assert.Contains("index 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_SpecialSpellings_RecognisedOnlyWhenAsked()
    {
        var tokenizer = CharacterTokenizer.Create("abc<>/ejnopsd");
        Assert.Equal([1, tokenizer.Encode("a")[0], 2], tokenizer.Encode("<bos>a<eos>", SpecialTokenHandling.Recognize));
        Assert.Equal(11, tokenizer.Encode("<bos>a<eos>").Length);
        Assert.Equal("a", tokenizer.Decode([1, tokenizer.Encode("a")[0], 2, 0], skipSpecialTokens: true));
    }

    [Fact]
    public void Decode_UnknownId_Throws()
    {
        var tokenizer = CharacterTokenizer.Create();
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([tokenizer.VocabularySize]));
    }

    [Fact]
    public void SaveThenLoad_FromModelFolder_GivesTheSameTokenizer()
    {
        using var folder = new TemporaryFolder("mr-tokenization-");
        var saved = CharacterTokenizer.Create(CharacterTokenizer.SandboxAlphabet + "é😀");
        CharacterTokenizerFile.Save(saved, folder.Path);

        var loaded = Assert.IsType<CharacterTokenizer>(TokenizerLoader.FromModelFolder(folder.Path));

        Assert.Equal(saved.Symbols, loaded.Symbols);
        Assert.Equal(saved.SpecialTokens.IdsByText.OrderBy(p => p.Value), loaded.SpecialTokens.IdsByText.OrderBy(p => p.Value));
        Assert.Equal((saved.SpecialTokens.BeginOfText, saved.SpecialTokens.EndOfText, saved.SpecialTokens.Padding),
            (loaded.SpecialTokens.BeginOfText, loaded.SpecialTokens.EndOfText, loaded.SpecialTokens.Padding));
        Assert.Equal(saved.Encode("R abc😀é\n"), loaded.Encode("R abc😀é\n"));
    }

    [Theory]
    [InlineData("""{"format": "other"}""", "\"format\": \"metarewarding-tokenizer\"")]
    [InlineData("""{"format": "metarewarding-tokenizer", "version": 2, "kind": "characters"}""", "version 2 is not supported")]
    [InlineData("""{"format": "metarewarding-tokenizer", "version": 1, "kind": "words"}""", "unknown kind 'words'")]
    [InlineData("""{"format": "metarewarding-tokenizer", "version": 1, "kind": "characters", "special_tokens": {}, "symbols": {"ab": 0}}""", "exactly one character")]
    [InlineData("""{"format": "metarewarding-tokenizer", "version": 1, "kind": "characters", "special_tokens": {"<eos>": 0}, "symbols": {"a": 0}}""", "already taken")]
    [InlineData("""{"format": "metarewarding-tokenizer", "version": 1, "kind": "characters", "special_tokens": {}, "bos_token": "<bos>", "symbols": {"a": 0}}""", "bos_token '<bos>' is not listed")]
    [InlineData("""{"format": "metarewarding-tokenizer", "version": 1, "kind": "characters", "special_tokens": {}, "symbols": {"a": -1}}""", "non-negative integer")]
    [InlineData("not json", "not valid JSON")]
    public void Load_BadFile_ThrowsNamingTheProblem(string content, string expectedMessagePart)
    {
        using var folder = new TemporaryFolder("mr-tokenization-");
        var path = Path.Combine(folder.Path, CharacterTokenizerFile.FileName);
        File.WriteAllText(path, content);

        var error = Assert.Throws<InvalidDataException>(() => CharacterTokenizerFile.Load(path));
        Assert.Contains(expectedMessagePart, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OpenAiMarker_GivesTheBuiltInEncoding()
    {
        using var folder = new TemporaryFolder("mr-tokenization-");
        CharacterTokenizerFile.SaveOpenAiMarker("gpt2", folder.Path);
        Assert.Same(OpenAiEncodings.Gpt2, TokenizerLoader.FromModelFolder(folder.Path));
    }
}
