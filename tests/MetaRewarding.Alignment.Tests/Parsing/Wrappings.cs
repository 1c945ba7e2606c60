namespace MetaRewarding.Alignment.Tests.Parsing;

/// <summary>
/// The ways a chat model decorates <c>Label: value</c>, chosen by index so that FsCheck's generated integers pick
/// a combination: the label's case, Markdown around the label (with or without its colon), the white space after
/// the colon, Markdown, quotes or brackets around the value, and text after it.
/// </summary>
internal static class Wrappings
{
    private static readonly string[] Cases = ["{0}", "lower", "UPPER", "Title"];

    private static readonly (string Open, string Close)[] LabelMarks = [("", ""), ("**", "**"), ("*", "*"), ("__", "__"), ("`", "`"), ("\"", "\"")];

    private static readonly string[] Spaces = ["", " ", "  ", "\n", "\t", " \n "];

    private static readonly (string Open, string Close)[] ValueMarks =
    [
        ("", ""), ("**", "**"), ("*", "*"), ("__", "__"), ("[", "]"), ("(", ")"), ("<", ">"), ("`", "`"), ("\"", "\""), ("'", "'"),
        ("\u201c", "\u201d"), ("**[", "]**"), ("[**", "**]"),
    ];

    private static readonly string[] Trailers = ["", ".", " points", "\n", ".\n\nThank you.", " **"];

    /// <summary>One decorated <c>label: value</c>; <paramref name="choice"/> picks every decoration.</summary>
    public static string Write(string label, string value, int choice)
    {
        var pick = new Picker(choice);
        var cased = Cases[pick.Next(Cases.Length)] switch
        {
            "lower" => label.ToLowerInvariant(),
            "UPPER" => label.ToUpperInvariant(),
            "Title" => char.ToUpperInvariant(label[0]) + label[1..].ToLowerInvariant(),
            _ => label,
        };
        var (open, close) = LabelMarks[pick.Next(LabelMarks.Length)];
        var head = pick.Next(2) == 0 ? $"{open}{cased}:{close}" : $"{open}{cased}{close}:";
        var (valueOpen, valueClose) = ValueMarks[pick.Next(ValueMarks.Length)];
        return $"{head}{Spaces[pick.Next(Spaces.Length)]}{valueOpen}{value}{valueClose}{Trailers[pick.Next(Trailers.Length)]}";
    }

    /// <summary>Successive choices from one integer (mixed radix), so every combination is reachable.</summary>
    private struct Picker(int seed)
    {
        private uint _rest = unchecked((uint)seed);

        public int Next(int count)
        {
            var value = (int)(_rest % (uint)count);
            _rest /= (uint)count;
            return value;
        }
    }
}
