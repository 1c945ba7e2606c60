using System.Globalization;
using System.Text.RegularExpressions;

namespace MetaRewarding.Modeling.Planning;

/// <summary>Byte counts as people write them: <c>141GiB</c>, <c>80GB</c>, <c>512MiB</c>, or a plain number of bytes.</summary>
public static partial class ByteSize
{
    /// <summary>Reads <paramref name="text"/>; binary (KiB, MiB, GiB, TiB) and decimal (KB, MB, GB, TB) units.</summary>
    public static long Parse(string text)
    {
        var match = Pattern().Match(text ?? "");
        if (!match.Success)
        {
            throw new FormatException($"'{text}' is not a size; write e.g. 141GiB, 80GB or 512MiB.");
        }

        var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups["unit"].Value.ToUpperInvariant();
        double scale = unit switch
        {
            "" or "B" => 1,
            "KB" => 1e3, "MB" => 1e6, "GB" => 1e9, "TB" => 1e12,
            "KIB" => 1L << 10, "MIB" => 1L << 20, "GIB" => 1L << 30, "TIB" => 1L << 40,
            _ => throw new FormatException($"'{text}': unknown unit '{match.Groups["unit"].Value}'; use KiB, MiB, GiB, TiB, KB, MB, GB or TB."),
        };
        return checked((long)(value * scale));
    }

    /// <summary><paramref name="bytes"/> in GiB with one decimal, e.g. <c>128.3 GiB</c>.</summary>
    public static string Format(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F1} GiB");

    [GeneratedRegex(@"^\s*(?<value>[0-9]+(\.[0-9]+)?)\s*(?<unit>[A-Za-z]*)\s*$")]
    private static partial Regex Pattern();
}
