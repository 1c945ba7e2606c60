namespace MetaRewarding.TestSupport;

/// <summary>One body row of a Markdown table: its cells (trimmed) and its 1-based line in the file.</summary>
public sealed record MarkdownRow(IReadOnlyList<string> Cells, int Line)
{
    /// <summary>The row as it would be written, for messages that tell an author what to fix.</summary>
    public override string ToString() => "| " + string.Join(" | ", Cells) + " |";
}

/// <summary>
/// Reads a Markdown pipe table out of a document: the first table after a given heading. Enough Markdown for the
/// README's reference tables (no escaped pipes outside backticks, no multi-line cells), so the docs tests can check
/// them against the code.
/// </summary>
public static class MarkdownTable
{
    /// <summary>
    /// The body rows of the first table below the heading whose text is <paramref name="heading"/> (any level), up
    /// to the next heading; throws naming the file when there is no such heading or table.
    /// </summary>
    public static IReadOnlyList<MarkdownRow> After(string markdownFile, string heading)
    {
        var lines = File.ReadAllLines(markdownFile);
        var start = Array.FindIndex(lines, l => l.StartsWith('#') && string.Equals(l.TrimStart('#').Trim(), heading, StringComparison.Ordinal));
        if (start < 0)
        {
            throw new InvalidOperationException($"{markdownFile} has no heading '{heading}'");
        }

        var rows = new List<MarkdownRow>();
        var inTable = false;
        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith('#'); i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith('|'))
            {
                if (inTable)
                {
                    break;
                }

                continue;
            }

            if (!inTable)
            {
                inTable = true;
                i++; // the header's separator line (|---|---|)
                continue;
            }

            rows.Add(new MarkdownRow(SplitCells(line), i + 1));
        }

        return inTable ? rows : throw new InvalidOperationException($"{markdownFile}: no table below the heading '{heading}'");
    }

    /// <summary>The text of every `code span` in <paramref name="cell"/>, in order.</summary>
    public static IReadOnlyList<string> CodeSpans(string cell)
    {
        var spans = new List<string>();
        for (var open = cell.IndexOf('`', StringComparison.Ordinal); open >= 0;)
        {
            var close = cell.IndexOf('`', open + 1);
            if (close < 0)
            {
                break;
            }

            spans.Add(cell[(open + 1)..close]);
            open = cell.IndexOf('`', close + 1);
        }

        return spans;
    }

    /// <summary>Splits a table line on the pipes that are not inside a code span.</summary>
    private static List<string> SplitCells(string line)
    {
        var cells = new List<string>();
        var current = new System.Text.StringBuilder();
        var inCode = false;
        for (var i = 1; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '`')
            {
                inCode = !inCode;
            }

            if (c == '|' && !inCode && (i == 0 || line[i - 1] != '\\'))
            {
                cells.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        return cells;
    }
}
