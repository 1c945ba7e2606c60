namespace MetaRewarding.Alignment.Datasets;

/// <summary>
/// Reads a JSONL stream whose records are grouped by prompt, in the order of the prompts file, one group at a
/// time: this is what lets pair building stream every file once with memory bounded by one prompt's records.
/// A record for an unknown prompt is a malformed line (policy applies); a record that comes after its prompt's
/// group has been consumed breaks the grouping, which streaming cannot recover from, so it always throws.
/// </summary>
internal sealed class PromptGroupReader<T>(
    IEnumerable<JsonlLine<T>> lines,
    Func<T, string> promptIdOf,
    IReadOnlyDictionary<string, int> promptOrdinals,
    string name,
    MalformedLineLog log) : IDisposable
    where T : class
{
    private readonly IEnumerator<JsonlLine<T>> _lines = lines.GetEnumerator();
    private JsonlLine<T> _next;
    private int _nextOrdinal = -1;
    private bool _hasNext;

    /// <summary>Fills <paramref name="group"/> with the records of the prompt at <paramref name="ordinal"/> (possibly none).</summary>
    public void ReadGroup(int ordinal, List<JsonlLine<T>> group)
    {
        group.Clear();
        while (Peek())
        {
            if (_nextOrdinal < ordinal)
            {
                throw OutOfOrder();
            }

            if (_nextOrdinal > ordinal)
            {
                return;
            }

            group.Add(_next);
            _hasNext = false;
        }
    }

    /// <summary>Throws if records are left after the last prompt's group (they can only be out of order).</summary>
    public void EnsureExhausted()
    {
        if (Peek())
        {
            throw OutOfOrder();
        }
    }

    public void Dispose() => _lines.Dispose();

    private bool Peek()
    {
        if (_hasNext)
        {
            return true;
        }

        while (_lines.MoveNext())
        {
            var line = _lines.Current;
            var promptId = promptIdOf(line.Record);
            if (!promptOrdinals.TryGetValue(promptId, out var ordinal))
            {
                log.Report(name, line.LineNumber, $"promptId '{promptId}' is not in the prompts file");
                continue;
            }

            _next = line;
            _nextOrdinal = ordinal;
            _hasNext = true;
            return true;
        }

        return false;
    }

    private MalformedLineException OutOfOrder() => new(
        name,
        _next.LineNumber,
        $"the record for prompt '{promptIdOf(_next.Record)}' comes after that prompt's group; records must be grouped by prompt, in the order of the prompts file (sort the file by prompt)");
}
