namespace MetaRewarding.Modeling.Generation;

/// <summary>
/// Prompt prefixes whose keys and values are kept so that later requests sharing them copy instead of recomputing:
/// the N judgments of one response share their whole prompt, the K responses of one prompt too, and the meta-judge
/// battles of one response share everything before the two judgments. Bounded by a token budget; the least recently
/// used entries go first.
/// </summary>
internal sealed class PrefixCache(long tokenBudget) : IDisposable
{
    private readonly List<PrefixEntry> entries = [];
    private long clock;

    /// <summary>Positions held by all entries.</summary>
    public long Tokens { get; private set; }

    public int Count => entries.Count;

    /// <summary>The entry sharing the longest prefix with <paramref name="tokens"/>[0..<paramref name="limit"/>), and that length (0: none).</summary>
    public (PrefixEntry? Entry, int Length) LongestMatch(IReadOnlyList<int> tokens, int limit)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        PrefixEntry? best = null;
        var bestLength = 0;
        foreach (var entry in entries)
        {
            var length = CommonPrefixLength(entry.Tokens, tokens, Math.Min(limit, entry.Tokens.Length));
            if (length > bestLength)
            {
                (best, bestLength) = (entry, length);
            }
        }

        if (best is not null)
        {
            best.LastUsed = ++clock;
        }

        return (best, bestLength);
    }

    /// <summary>Keeps <paramref name="entry"/>, dropping least recently used entries (and any it extends) to stay within the budget.</summary>
    public void Add(PrefixEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Tokens.Length > tokenBudget)
        {
            entry.Dispose();
            return;
        }

        // An entry that is a prefix of the new one adds nothing the new one does not have.
        foreach (var covered in entries.Where(e => e.Tokens.Length <= entry.Tokens.Length && CommonPrefixLength(e.Tokens, entry.Tokens, e.Tokens.Length) == e.Tokens.Length).ToList())
        {
            Remove(covered);
        }

        while (Tokens + entry.Tokens.Length > tokenBudget)
        {
            Remove(entries.MinBy(e => e.LastUsed)!);
        }

        entry.LastUsed = ++clock;
        entries.Add(entry);
        Tokens += entry.Tokens.Length;
    }

    /// <summary>How many leading tokens <paramref name="a"/> and <paramref name="b"/> share, looking at most <paramref name="limit"/> far.</summary>
    public static int CommonPrefixLength(IReadOnlyList<int> a, IReadOnlyList<int> b, int limit)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var n = Math.Min(limit, Math.Min(a.Count, b.Count));
        var i = 0;
        while (i < n && a[i] == b[i])
        {
            i++;
        }

        return i;
    }

    public void Dispose()
    {
        foreach (var entry in entries)
        {
            entry.Dispose();
        }

        entries.Clear();
        Tokens = 0;
    }

    private void Remove(PrefixEntry entry)
    {
        entries.Remove(entry);
        Tokens -= entry.Tokens.Length;
        entry.Dispose();
    }
}
