using MetaRewarding.TestSupport;

namespace MetaRewarding.Tokenization.Tests;

public sealed class TokenizerLoaderTests
{
    [Fact]
    public void FromModelFolder_NoTokenizerFiles_NamesTheFolderAndTheFilesItLookedFor()
    {
        using var folder = new TemporaryFolder("mr-tokenization-");
        File.WriteAllText(Path.Combine(folder.Path, "config.json"), "{}");

        var error = Assert.Throws<FileNotFoundException>(() => TokenizerLoader.FromModelFolder(folder.Path));

        Assert.Contains(folder.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("metarewarding-tokenizer.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer.model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromModelFolder_MissingFolder_Throws()
    {
        Assert.Throws<DirectoryNotFoundException>(() => TokenizerLoader.FromModelFolder("/nonexistent/model-folder"));
    }

    [Fact]
    public void FromModelFolder_SentencePieceTokenizerModel_IsRefusedWithTheReason()
    {
        using var folder = new TemporaryFolder("mr-tokenization-");
        File.WriteAllBytes(Path.Combine(folder.Path, "tokenizer.model"), [0x0A, 0x0B, 0x0A, 0x05, 0x3C, 0x75, 0x6E, 0x6B, 0x3E, 0x15, 0x00, 0x00]);

        var error = Assert.Throws<NotSupportedException>(() => TokenizerLoader.FromModelFolder(folder.Path));
        Assert.Contains("SentencePiece", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromModelFolder_TiktokenModelMissingAByte_IsRefusedNamingTheByte()
    {
        using var folder = new TemporaryFolder("mr-tokenization-");
        var ranks = Enumerable.Range(0, 255).ToDictionary(b => b, b => new[] { (byte)b });
        using (var file = File.Create(Path.Combine(folder.Path, "tokenizer.model")))
        {
            TiktokenRankFile.Write(ranks).CopyTo(file);
        }

        var error = Assert.Throws<InvalidDataException>(() => TokenizerLoader.FromModelFolder(folder.Path));
        Assert.Contains("0xFF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromModelFolder_TinyTiktokenModel_UsesMetasLlama3SpecialLayout()
    {
        using var folder = new TemporaryFolder("mr-tokenization-");
        var ranks = Enumerable.Range(0, 256).ToDictionary(b => b, b => new[] { (byte)b });
        ranks[256] = "ab"u8.ToArray();
        using (var file = File.Create(Path.Combine(folder.Path, "tokenizer.model")))
        {
            TiktokenRankFile.Write(ranks).CopyTo(file);
        }

        var tokenizer = TokenizerLoader.FromModelFolder(folder.Path);

        Assert.Equal(257 + 256, tokenizer.VocabularySize);
        Assert.Equal(257, tokenizer.SpecialTokens.BeginOfText);
        Assert.Equal(258, tokenizer.SpecialTokens.EndOfText);
        Assert.Equal(257 + 9, tokenizer.SpecialTokens.EndOfTurn);
        Assert.Equal([256, (byte)'c'], tokenizer.Encode("abc"));
        Assert.Equal([257, 256, 266], tokenizer.Encode("<|begin_of_text|>ab<|eot_id|>", SpecialTokenHandling.Recognize));
    }

    [Fact]
    public void FromModelFolder_ConfigEosNotASpecialToken_ThrowsNamingIt()
    {
        using var folder = new TemporaryFolder("mr-tokenization-");
        var ranks = Enumerable.Range(0, 256).ToDictionary(b => b, b => new[] { (byte)b });
        using (var file = File.Create(Path.Combine(folder.Path, "tokenizer.model")))
        {
            TiktokenRankFile.Write(ranks).CopyTo(file);
        }

        File.WriteAllText(Path.Combine(folder.Path, "tokenizer_config.json"), """{"eos_token": "</s>"}""");

        var error = Assert.Throws<InvalidDataException>(() => TokenizerLoader.FromModelFolder(folder.Path));
        Assert.Contains("eos_token '</s>'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromModelFolder_TokenizerJsonWithUnsupportedModel_SaysWhy()
    {
        using var folder = new TemporaryFolder("mr-tokenization-");
        File.WriteAllText(Path.Combine(folder.Path, "tokenizer.json"), """{"normalizer": null, "pre_tokenizer": null, "model": {"type": "Unigram", "vocab": []}}""");

        var error = Assert.Throws<NotSupportedException>(() => TokenizerLoader.FromModelFolder(folder.Path));
        Assert.Contains("'Unigram', not 'BPE'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromModelFolder_TokenizerJsonMergesOutOfRankOrder_IsRefused()
    {
        using var folder = new TemporaryFolder("mr-tokenization-");
        var vocab = string.Join(", ", Enumerable.Range(0, 256).Select(b => $"\"{JsonEscape(ByteLevelAlphabet.ToChar((byte)b))}\": {b}"));
        File.WriteAllText(Path.Combine(folder.Path, "tokenizer.json"), $$$"""
            {"normalizer": null,
             "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
             "model": {"type": "BPE", "vocab": { {{{vocab}}}, "ab": 256, "cd": 257 }, "merges": ["c d", "a b"]}}
            """);

        var error = Assert.Throws<NotSupportedException>(() => TokenizerLoader.FromModelFolder(folder.Path));
        Assert.Contains("not ordered by token id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromModelFolder_Gpt2StyleTokenizerJson_LoadsWithTheGpt2Pattern()
    {
        using var folder = new TemporaryFolder("mr-tokenization-");
        var vocab = string.Join(", ", Enumerable.Range(0, 256).Select(b => $"\"{JsonEscape(ByteLevelAlphabet.ToChar((byte)b))}\": {b}"));
        File.WriteAllText(Path.Combine(folder.Path, "tokenizer.json"), $$$"""
            {"normalizer": null,
             "added_tokens": [{"id": 258, "content": "<|endoftext|>", "special": true}],
             "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
             "model": {"type": "BPE", "vocab": { {{{vocab}}}, "ab": 256, "Ġab": 257 }, "merges": ["a b", "Ġ ab"]}}
            """);

        var tokenizer = Assert.IsType<ByteLevelBpeTokenizer>(TokenizerLoader.FromModelFolder(folder.Path));

        Assert.Equal(PreTokenizerPattern.Gpt2, tokenizer.Pattern);
        Assert.Equal([256, 257, 258], tokenizer.Encode("ab ab<|endoftext|>", SpecialTokenHandling.Recognize));
        Assert.Equal(258, tokenizer.SpecialTokens.EndOfText); // GPT-2's spelling is the fallback EOS
        Assert.Equal(259, tokenizer.VocabularySize);
    }

    private static string JsonEscape(char c) => c switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        _ => c.ToString(),
    };
}
