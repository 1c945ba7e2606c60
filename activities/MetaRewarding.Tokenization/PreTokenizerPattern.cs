namespace MetaRewarding.Tokenization;

/// <summary>
/// The split patterns of the byte-level BPE tokenizers this project runs. Each is implemented
/// by <see cref="CodePointPreTokenizer"/> as a hand-written scanner over Unicode code points,
/// because .NET's Regex matches UTF-16 units: <c>\p{L}</c> never matches a letter outside the
/// Basic Multilingual Plane, so "😀abc" or "𝐀𝐁" would split differently from tiktoken and
/// Hugging Face (Rust/Oniguruma regexes over code points).
/// </summary>
public enum PreTokenizerPattern
{
    /// <summary>
    /// cl100k_base, which Llama 3 reuses unchanged:
    /// <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>
    /// </summary>
    Cl100k,

    /// <summary>
    /// GPT-2 (r50k_base): <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>
    /// </summary>
    Gpt2,
}

/// <summary>The patterns' regex spellings, as they appear in tokenizer.json files and tiktoken.</summary>
public static class PreTokenizerPatterns
{
    /// <summary>Llama 3's (and cl100k's original) spelling.</summary>
    public const string Cl100kRegex =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>tiktoken's later, possessive spelling of the same language (same splits, faster in Rust).</summary>
    public const string Cl100kPossessiveRegex =
        @"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+";

    public const string Gpt2Regex = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Recognises one of the known spellings; false for anything else.</summary>
    public static bool TryRecognize(string regex, out PreTokenizerPattern pattern)
    {
        switch (regex)
        {
            case Cl100kRegex:
            case Cl100kPossessiveRegex:
                pattern = PreTokenizerPattern.Cl100k;
                return true;
            case Gpt2Regex:
                pattern = PreTokenizerPattern.Gpt2;
                return true;
            default:
                pattern = default;
                return false;
        }
    }
}
