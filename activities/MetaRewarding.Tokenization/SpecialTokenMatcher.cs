namespace MetaRewarding.Tokenization;

/// <summary>
/// Finds special-token spellings in text: leftmost occurrence first and, at one position, the
/// longest spelling (how Hugging Face's added-token splitter and tiktoken behave).
/// </summary>
internal sealed class SpecialTokenMatcher
{
    private readonly Dictionary<char, string[]> _byFirstChar;

    public SpecialTokenMatcher(IEnumerable<string> spellings)
    {
        _byFirstChar = spellings
            .GroupBy(s => s[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal).ToArray());
    }

    public IEnumerable<(int Offset, int Length, string Spelling)> FindAll(string text)
    {
        var position = 0;
        while (position < text.Length)
        {
            var found = FindNext(text, position);
            if (found is not { } match)
            {
                yield break;
            }

            yield return match;
            position = match.Offset + match.Length;
        }
    }

    private (int Offset, int Length, string Spelling)? FindNext(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (!_byFirstChar.TryGetValue(text[i], out var candidates))
            {
                continue;
            }

            foreach (var candidate in candidates)
            {
                if (string.CompareOrdinal(text, i, candidate, 0, candidate.Length) == 0)
                {
                    return (i, candidate.Length, candidate);
                }
            }
        }

        return null;
    }
}
