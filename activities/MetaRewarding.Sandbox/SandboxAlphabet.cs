namespace MetaRewarding.Sandbox;

/// <summary>
/// Every character the sandbox can put in a prompt, a demonstration or a template: the demo's character
/// tokenizer must cover these (it does: they are a subset of <c>CharacterTokenizer.SandboxAlphabet</c>, which a
/// test checks). A model trained on the sandbox only ever needs these symbols.
/// </summary>
public static class SandboxAlphabet
{
    /// <summary>Letters of the constraint and reverse tasks.</summary>
    public const string Letters = "abcdefgh";

    /// <summary>Digits of the sort task (and of lengths, scores and error counts).</summary>
    public const string Digits = "0123456789";

    /// <summary>
    /// The exact symbol set, in ordinal order: a–h, 0–9, the task codes C R S G, the template markers A J M,
    /// the words of <c>Score</c>, <c>Winner: Judgment A|B</c> and the format-error suffixes <c>ok</c>/<c>done</c>, the route meta-judge's checks <c>y</c>/<c>n</c>,
    /// and the punctuation <c>" :+-|\n"</c>.
    /// </summary>
    public const string Symbols = "\n +-0123456789:ABCGJMRSWabcdefghikmnortuy|";

    /// <summary>True when every character of <paramref name="text"/> is one of <see cref="Symbols"/>.</summary>
    public static bool Covers(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.All(c => Symbols.Contains(c, StringComparison.Ordinal));
    }
}
