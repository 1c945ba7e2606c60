using System.Text.RegularExpressions;

namespace MetaRewarding.Tokenization.Tests;

public sealed class CodePointPreTokenizerTests
{
    /// <summary>
    /// tiktoken's possessive cl100k spelling (<see cref="PreTokenizerPatterns.Cl100kPossessiveRegex"/>)
    /// with X?+ and X++ written as the atomic groups .NET supports: checks that the loader may treat
    /// both spellings as one pattern.
    /// </summary>
    private const string Cl100kPossessiveAsAtomicGroups =
        @"'(?i:[sdmt]|ll|ve|re)|(?>[^\r\n\p{L}\p{N}]?)\p{L}+|\p{N}{1,3}| ?(?>[^\s\p{L}\p{N}]+)[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+";

    /// <summary>
    /// On text inside the Basic Multilingual Plane .NET's Regex is exact, so the pattern itself is
    /// the specification: the scanner must split every such string as the regex does. (Astral
    /// characters are covered against the JS reference in Llama3ReferenceTests.)
    /// </summary>
    [Theory]
    [InlineData(PreTokenizerPattern.Cl100k, PreTokenizerPatterns.Cl100kRegex)]
    [InlineData(PreTokenizerPattern.Cl100k, Cl100kPossessiveAsAtomicGroups)]
    [InlineData(PreTokenizerPattern.Gpt2, PreTokenizerPatterns.Gpt2Regex)]
    public void Split_BmpStrings_MatchesTheRegexOfThePattern(PreTokenizerPattern pattern, string regex)
    {
        var expected = new Regex(regex, RegexOptions.CultureInvariant);
        var scanner = new CodePointPreTokenizer(pattern);
        var random = new Random(1234);
        var texts = TestStrings.Generate(2000, seed: 42).Concat(Enumerable.Range(0, 2000).Select(_ => TestStrings.Soup(random, random.Next(1, 40))))
            .Select(t => string.Concat(t.EnumerateRunes().Where(r => r.IsBmp)))
            .Where(t => t.Length > 0);

        foreach (var text in texts)
        {
            var regexPieces = expected.Matches(text).Select(m => text.Substring(m.Index, m.Length));
            var scannerPieces = scanner.Split(text).Select(p => text.Substring(p.Offset, p.Length));
            Assert.Equal(regexPieces, scannerPieces);
        }
    }

    [Theory]
    [InlineData("1234567", new[] { "123", "456", "7" })] // Llama 3 groups digits by at most three
    [InlineData("I'm here", new[] { "I", "'m", " here" })]
    [InlineData("THEY'RE", new[] { "THEY", "'RE" })]
    [InlineData("a  b", new[] { "a", " ", " b" })] // the last space of a run joins the next word
    [InlineData("x\n\n  y", new[] { "x", "\n\n", " ", " y" })]
    [InlineData("end.\n\n", new[] { "end", ".\n\n" })] // punctuation takes the newlines after it
    [InlineData("😀abc", new[] { "😀abc" })] // one non-letter code point may prefix a word
    [InlineData("𝐀𝐁𝐂 def", new[] { "𝐀𝐁𝐂", " def" })] // astral letters are letters
    [InlineData("𝟎𝟏𝟐𝟑", new[] { "𝟎𝟏𝟐", "𝟑" })] // astral digits are digits
    public void Split_Cl100k_KnownCases(string text, string[] pieces)
    {
        var scanner = new CodePointPreTokenizer(PreTokenizerPattern.Cl100k);
        Assert.Equal(pieces, scanner.Split(text).Select(p => text.Substring(p.Offset, p.Length)));
    }

    [Theory]
    [InlineData("1234567", new[] { "1234567" })]
    [InlineData("I'M here", new[] { "I", "'", "M", " here" })] // GPT-2's contractions are case-sensitive
    [InlineData("hello\n\nworld", new[] { "hello", "\n", "\n", "world" })]
    [InlineData("😀abc", new[] { "😀", "abc" })]
    public void Split_Gpt2_KnownCases(string text, string[] pieces)
    {
        var scanner = new CodePointPreTokenizer(PreTokenizerPattern.Gpt2);
        Assert.Equal(pieces, scanner.Split(text).Select(p => text.Substring(p.Offset, p.Length)));
    }

    /// <summary>
    /// Where the JS reference departs from tiktoken / Hugging Face's Rust regex, we follow the
    /// Rust semantics: (?i) case-folds U+017F to 's'; U+0085 is whitespace and U+FEFF is not
    /// (Unicode White_Space). These are the characters TestStrings keeps out of the JS comparison.
    /// </summary>
    [Theory]
    [InlineData("it'ſ", new[] { "it", "'ſ" })]
    [InlineData("a\u0085\u0085b", new[] { "a", "\u0085", "\u0085b" })]
    [InlineData("a\uFEFFb", new[] { "a", "\uFEFFb" })]
    public void Split_Cl100k_FollowsRustRegexSemantics(string text, string[] pieces)
    {
        var scanner = new CodePointPreTokenizer(PreTokenizerPattern.Cl100k);
        Assert.Equal(pieces, scanner.Split(text).Select(p => text.Substring(p.Offset, p.Length)));
    }

    [Fact]
    public void Split_LoneSurrogates_CoverTheTextWithoutThrowing()
    {
        var text = "a\uD800b\uDC00 c\uD83D";
        var pieces = new CodePointPreTokenizer(PreTokenizerPattern.Cl100k).Split(text);
        Assert.Equal(text.Length, pieces.Sum(p => p.Length));
    }
}
