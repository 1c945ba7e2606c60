using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace MetaRewarding.Tokenization;

/// <summary>
/// Splits text into the pieces BPE runs on, exactly as the regex of <see cref="PreTokenizerPattern"/>
/// does in tiktoken / Hugging Face (leftmost-first alternation, greedy with backtracking), but
/// over code points. Each alternative of the regex is one branch below, in the regex's order.
/// </summary>
public sealed class CodePointPreTokenizer : PreTokenizer
{
    private readonly PreTokenizerPattern _pattern;

    public CodePointPreTokenizer(PreTokenizerPattern pattern)
    {
        if (!Enum.IsDefined(pattern))
        {
            throw new ArgumentOutOfRangeException(nameof(pattern), pattern, "Unknown pre-tokenizer pattern.");
        }

        _pattern = pattern;
    }

    public PreTokenizerPattern Pattern => _pattern;

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) =>
        text is null ? [] : Split(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text);

    /// <summary>The pieces of <paramref name="text"/> as (offset, length) in UTF-16 units.</summary>
    public List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int Offset, int Length)>(text.Length / 3 + 1);
        var position = 0;
        while (position < text.Length)
        {
            var end = _pattern == PreTokenizerPattern.Cl100k
                ? MatchCl100k(text, position)
                : MatchGpt2(text, position);
            pieces.Add((position, end - position));
            position = end;
        }

        return pieces;
    }

    /// <summary>End (exclusive) of the cl100k / Llama-3 match starting at <paramref name="start"/>.</summary>
    private static int MatchCl100k(ReadOnlySpan<char> text, int start)
    {
        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if (MatchContraction(text, start, ignoreCase: true) is > 0 and var contraction)
        {
            return start + contraction;
        }

        var (first, firstWidth) = Read(text, start);
        var afterFirst = start + firstWidth;

        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (first == CharClass.Letter)
        {
            return SkipWhile(text, afterFirst, CharClass.Letter);
        }

        if (first != CharClass.Number && !IsNewline(text[start]) && afterFirst < text.Length && Read(text, afterFirst).Class == CharClass.Letter)
        {
            return SkipWhile(text, afterFirst, CharClass.Letter);
        }

        // \p{N}{1,3}
        if (first == CharClass.Number)
        {
            var end = afterFirst;
            for (var count = 1; count < 3 && end < text.Length; count++)
            {
                var (next, width) = Read(text, end);
                if (next != CharClass.Number)
                {
                    break;
                }

                end += width;
            }

            return end;
        }

        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        var otherStart = text[start] == ' ' && afterFirst < text.Length && Read(text, afterFirst).Class == CharClass.Other
            ? afterFirst
            : first == CharClass.Other ? start : -1;
        if (otherStart >= 0)
        {
            var end = SkipWhile(text, otherStart, CharClass.Other);
            while (end < text.Length && IsNewline(text[end]))
            {
                end++;
            }

            return end;
        }

        // Only whitespace is left: \s*[\r\n]+ | \s+(?!\S) | \s+
        var runEnd = SkipWhile(text, start, CharClass.Space);
        for (var i = runEnd - 1; i >= start; i--)
        {
            if (IsNewline(text[i]))
            {
                // \s* backs off to the last newline of the run; [\r\n]+ takes it.
                return i + 1;
            }
        }

        return WhitespaceWithoutNewline(text, start, runEnd);
    }

    /// <summary>End (exclusive) of the GPT-2 match starting at <paramref name="start"/>.</summary>
    private static int MatchGpt2(ReadOnlySpan<char> text, int start)
    {
        // 's|'t|'re|'ve|'m|'ll|'d (case-sensitive)
        if (MatchContraction(text, start, ignoreCase: false) is > 0 and var contraction)
        {
            return start + contraction;
        }

        var (first, firstWidth) = Read(text, start);
        var afterFirst = start + firstWidth;
        var next = text[start] == ' ' && afterFirst < text.Length ? Read(text, afterFirst).Class : CharClass.Space;

        // ' ?\p{L}+' | ' ?\p{N}+' | ' ?[^\s\p{L}\p{N}]+'
        if (first is CharClass.Letter or CharClass.Number or CharClass.Other)
        {
            return SkipWhile(text, afterFirst, first);
        }

        if (next is CharClass.Letter or CharClass.Number or CharClass.Other)
        {
            return SkipWhile(text, afterFirst, next);
        }

        // \s+(?!\S) | \s+
        return WhitespaceWithoutNewline(text, start, SkipWhile(text, start, CharClass.Space));
    }

    /// <summary>
    /// \s+(?!\S)|\s+ over the whitespace run [start, runEnd): the run minus its last character
    /// when a non-space follows (that character then prefixes the next word), else all of it.
    /// </summary>
    private static int WhitespaceWithoutNewline(ReadOnlySpan<char> text, int start, int runEnd)
    {
        if (runEnd == text.Length)
        {
            return runEnd;
        }

        var lastStart = runEnd - 1;
        if (lastStart > start && char.IsLowSurrogate(text[lastStart]) && char.IsHighSurrogate(text[lastStart - 1]))
        {
            lastStart--;
        }

        return lastStart > start ? lastStart : runEnd;
    }

    /// <summary>Length of the contraction at <paramref name="start"/> ('s 't 're 've 'm 'll 'd), or 0.</summary>
    private static int MatchContraction(ReadOnlySpan<char> text, int start, bool ignoreCase)
    {
        if (text[start] != '\'' || start + 1 >= text.Length)
        {
            return 0;
        }

        var a = text[start + 1];
        if (Is(a, 's') || Is(a, 't') || Is(a, 'm') || Is(a, 'd'))
        {
            return 2;
        }

        if (start + 2 >= text.Length)
        {
            return 0;
        }

        var b = text[start + 2];
        return (Is(a, 'r') && Is(b, 'e')) || (Is(a, 'v') && Is(b, 'e')) || (Is(a, 'l') && Is(b, 'l')) ? 3 : 0;

        bool Is(char actual, char lower)
        {
            if (actual == lower)
            {
                return true;
            }

            if (!ignoreCase)
            {
                return false;
            }

            // Unicode simple case folding, as Rust's regex and Oniguruma apply for (?i):
            // 's' also matches 'S' and U+017F LATIN SMALL LETTER LONG S; the others only their capital.
            return actual == char.ToUpperInvariant(lower) || (lower == 's' && actual == '\u017F');
        }
    }

    private static int SkipWhile(ReadOnlySpan<char> text, int position, CharClass wanted)
    {
        while (position < text.Length)
        {
            var (current, width) = Read(text, position);
            if (current != wanted)
            {
                break;
            }

            position += width;
        }

        return position;
    }

    private static bool IsNewline(char c) => c is '\r' or '\n';

    /// <summary>Class and UTF-16 width of the code point at <paramref name="index"/>; a lone surrogate is "other".</summary>
    private static (CharClass Class, int Width) Read(ReadOnlySpan<char> text, int index)
    {
        if (Rune.DecodeFromUtf16(text[index..], out var rune, out var width) != OperationStatus.Done)
        {
            return (CharClass.Other, 1);
        }

        if (Rune.IsWhiteSpace(rune))
        {
            return (CharClass.Space, width);
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => (CharClass.Letter, width),
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => (CharClass.Number, width),
            _ => (CharClass.Other, width),
        };
    }

    /// <summary>The four classes the patterns distinguish: \p{L}, \p{N}, \s, and everything else.</summary>
    private enum CharClass
    {
        Letter,
        Number,
        Space,
        Other,
    }
}
