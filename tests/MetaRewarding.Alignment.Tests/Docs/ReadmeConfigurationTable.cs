using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MetaRewarding.TestSupport;

namespace MetaRewarding.Alignment.Tests.Docs;

/// <summary>One field named in the README's configuration table, with its row's default and allowed columns.</summary>
internal sealed record DocumentedField(string Path, string Default, string Allowed, MarkdownRow Row)
{
    /// <summary>"README.md line 104 (`iterations[i].dpo.beta`)": where an author goes to fix it.</summary>
    public string Where => $"README.md line {Row.Line} (`{Path}`)";
}

/// <summary>
/// The README's "Configuration reference" table, one entry per field it names. A row may name several fields:
/// <c>`seedSft.epochs` / `.learningRate`</c> names <c>seedSft.epochs</c> and <c>seedSft.learningRate</c> (a name
/// starting with a dot replaces the first name's last part), and its default and allowed columns then hold one
/// value per name separated by <c> / </c>, or one value for all.
/// </summary>
internal static partial class ReadmeConfigurationTable
{
    public const string Heading = "Configuration reference";

    public static IReadOnlyList<DocumentedField> Fields { get; } = Read();

    private static List<DocumentedField> Read()
    {
        var fields = new List<DocumentedField>();
        foreach (var row in MarkdownTable.After(RepositoryPaths.Readme, Heading))
        {
            var names = MarkdownTable.CodeSpans(row.Cells[0]);
            if (names.Count == 0)
            {
                continue;
            }

            var first = names[0];
            var parent = first.Contains('.', StringComparison.Ordinal) ? first[..first.LastIndexOf('.')] : "";
            var paths = names.Select(n => n.StartsWith('.') ? parent + n : n).ToList();
            var defaults = Split(row.Cells.ElementAtOrDefault(1) ?? "", paths.Count);
            var allowed = Split(row.Cells.ElementAtOrDefault(2) ?? "", paths.Count);
            fields.AddRange(paths.Select((path, i) => new DocumentedField(path, defaults[i], allowed[i], row)));
        }

        return fields;
    }

    private static string[] Split(string cell, int count)
    {
        var parts = cell.Split(" / ");
        return parts.Length == count ? parts : Enumerable.Repeat(cell, count).ToArray();
    }

    /// <summary>
    /// A default column's literals, one per iteration or one for all: remarks in parentheses and backticks
    /// dropped, then split on ", ". "—" (no default: the field is required) gives an empty list.
    /// </summary>
    public static IReadOnlyList<string> DefaultLiterals(string cell)
    {
        var text = Remark().Replace(cell, "").Replace("`", "", StringComparison.Ordinal).Trim();
        return text == "—" ? [] : text.Split(", ").Select(t => t.Trim()).ToList();
    }

    /// <summary>Whether a literal of the default column spells <paramref name="value"/>.</summary>
    public static bool Spells(string literal, object? value) => value switch
    {
        null => literal == "null",
        bool b => literal == (b ? "true" : "false"),
        Enum e => literal == JsonNamingPolicy.CamelCase.ConvertName(e.ToString()),
        string s => literal == s,
        IConvertible number => double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            && parsed == number.ToDouble(CultureInfo.InvariantCulture),
        _ => false,
    };

    /// <summary><paramref name="value"/> as the default column should spell it.</summary>
    public static string Spell(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        Enum e => $"`{JsonNamingPolicy.CamelCase.ConvertName(e.ToString())}`",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    [GeneratedRegex(@"\s*\((?=[^)]*[A-Za-z]{2})[^)]*\)")]
    private static partial Regex Remark();
}
