using MetaRewarding.Alignment.Datasets;

namespace MetaRewarding.Alignment.Pairs;

/// <summary>
/// Exact-duplicate responses (docs/ALGORITHM.md step 2): a response whose text equals an earlier response's to the
/// same prompt is dropped, so the first of each text is kept, in file order. One rule for the three places that
/// need it: judging (a duplicate is never judged), meta-judging and pair building (which count the drops).
/// </summary>
public sealed class DuplicateResponses
{
    private readonly HashSet<(string PromptId, string Text)> _seen = [];

    /// <summary>True when <paramref name="response"/> is the first with its text for its prompt (remembered from now on).</summary>
    public bool Keep(ResponseRecord response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return _seen.Add((response.PromptId, response.Text));
    }

    /// <summary>Forgets the responses seen so far (pair building reuses one instance from prompt to prompt).</summary>
    public void Clear() => _seen.Clear();

    /// <summary>The responses of <paramref name="responses"/> that are kept, in order.</summary>
    public static List<ResponseRecord> Drop(IEnumerable<ResponseRecord> responses)
    {
        var duplicates = new DuplicateResponses();
        return [.. responses.Where(duplicates.Keep)];
    }
}
