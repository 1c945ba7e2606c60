using System.Globalization;
using System.Text.RegularExpressions;
using MetaRewarding.TestSupport;

namespace MetaRewarding.Alignment.Tests.Docs;

/// <summary>
/// The README's "allowed" column, read: an interval (<c>[0, 0.5]</c>, <c>(0, 1]</c>, <c>≥ 1</c>, <c>&gt; 0</c>), a list
/// of <c>`names`</c>, <c>bool</c>, <c>any integer</c>, <c>non-empty path</c>, <c>non-empty text</c>, <c>file path</c> or <c>URL</c>, each optionally
/// followed by <c>or null</c>. Parenthesised remarks and a trailing <c>, finite</c> are explanations, not rules.
/// </summary>
internal sealed partial record AllowedValues
{
    public const string Grammar =
        "write it as [a, b], (a, b], [a, b), (a, b), ≥ a, > a, bool, any integer, non-empty path, non-empty text, file path, URL, or a list of `names`, " +
        "optionally followed by 'or null' (remarks go in parentheses)";

    public double? Lower { get; init; }

    public bool LowerOpen { get; init; }

    public double? Upper { get; init; }

    public bool UpperOpen { get; init; }

    public IReadOnlyList<string>? Names { get; init; }

    public bool OrNull { get; init; }

    public bool NonEmpty { get; init; }

    /// <summary>An absolute http(s) URL: an empty string and a bare host are refused.</summary>
    public bool Url { get; init; }

    /// <summary>True for <c>bool</c>, <c>any integer</c> and <c>file path</c>: nothing beyond the type to probe.</summary>
    public bool AnyValue { get; init; }

    /// <summary>The column's rules, or null when the text follows none of the forms of <see cref="Grammar"/>.</summary>
    public static AllowedValues? Parse(string cell)
    {
        var text = Remarks().Replace(cell, "").Trim();
        var orNull = text.EndsWith(" or null", StringComparison.Ordinal);
        if (orNull)
        {
            text = text[..^" or null".Length].Trim();
        }

        if (text.EndsWith(", finite", StringComparison.Ordinal))
        {
            text = text[..^", finite".Length].Trim();
        }

        if (text is "bool" or "any integer" or "file path")
        {
            return new AllowedValues { AnyValue = true, OrNull = orNull };
        }

        if (text == "URL")
        {
            return new AllowedValues { Url = true, OrNull = orNull };
        }

        if (text is "non-empty path" or "non-empty text")
        {
            return new AllowedValues { NonEmpty = true, OrNull = orNull };
        }

        var names = MarkdownTable.CodeSpans(text);
        if (names.Count > 0 && string.Equals(string.Join(", ", names.Select(n => $"`{n}`")), text, StringComparison.Ordinal))
        {
            return new AllowedValues { Names = names, OrNull = orNull };
        }

        if (Interval().Match(text) is { Success: true } interval)
        {
            return new AllowedValues
            {
                Lower = Number(interval.Groups["lower"].Value),
                LowerOpen = interval.Groups["open"].Value == "(",
                Upper = Number(interval.Groups["upper"].Value),
                UpperOpen = interval.Groups["close"].Value == ")",
                OrNull = orNull,
            };
        }

        if (LowerBound().Match(text) is { Success: true } bound)
        {
            return new AllowedValues { Lower = Number(bound.Groups["lower"].Value), LowerOpen = bound.Groups["op"].Value == ">", OrNull = orNull };
        }

        return null;
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A parenthesised remark: it holds a word, which tells it from an interval such as (0, 1).</summary>
    [GeneratedRegex(@"\s*\((?=[^)]*[A-Za-z]{2})[^)]*\)")]
    private static partial Regex Remarks();

    [GeneratedRegex(@"^(?<open>[\[(])\s*(?<lower>-?[0-9.eE+-]+)\s*,\s*(?<upper>-?[0-9.eE+-]+)\s*(?<close>[\])])$")]
    private static partial Regex Interval();

    [GeneratedRegex(@"^(?<op>≥|>)\s*(?<lower>-?[0-9.eE+-]+)$")]
    private static partial Regex LowerBound();
}
