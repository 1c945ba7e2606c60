using System.Text;
using Xunit.Abstractions;

namespace MetaRewarding.Tokenization.Tests;

/// <summary>Compares our ids with reference ids string by string and reports the first differences readably.</summary>
public static class IdComparison
{
    public static void AssertAllEqual(IReadOnlyList<string> texts, int[][] expected, Func<string, int[]> encode, ITestOutputHelper output)
    {
        Assert.Equal(texts.Count, expected.Length);
        var mismatches = new List<string>();
        for (var i = 0; i < texts.Count; i++)
        {
            var actual = encode(texts[i]);
            if (!actual.SequenceEqual(expected[i]))
            {
                mismatches.Add($"#{i} {Escape(texts[i])}\n{FirstDifference(expected[i], actual)}");
            }
        }

        output.WriteLine($"{texts.Count} strings, {texts.Sum(t => t.Length)} chars, {expected.Sum(e => e.Length)} reference tokens, {mismatches.Count} mismatches");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {texts.Count} strings differ from the reference:\n" + string.Join("\n", mismatches.Take(10)));
    }

    /// <summary>The ids around the first difference (whole lists of long strings would drown the message).</summary>
    public static string FirstDifference(int[] expected, int[] actual)
    {
        var at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
        {
            at++;
        }

        var from = Math.Max(0, at - 3);
        return $"  first difference at token {at}: expected [..{string.Join(",", expected.Skip(from).Take(8))}..] actual [..{string.Join(",", actual.Skip(from).Take(8))}..]";
    }

    public static string Escape(string text)
    {
        var shown = text.Length > 200 ? text[..200] + "..." : text;
        var escaped = new StringBuilder();
        foreach (var rune in shown.EnumerateRunes())
        {
            escaped.Append(rune.Value is < 0x20 or 0x7F or > 0x7E ? $"\\u{{{rune.Value:X}}}" : rune.ToString());
        }

        return escaped.ToString();
    }
}
