using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Alignment.Scoring;

/// <summary>Measures a text's length in the run's <see cref="LengthUnit"/>.</summary>
public delegate int LengthMeasure(string text);

/// <summary>The built-in length measures.</summary>
public static class LengthMeasures
{
    /// <summary>
    /// Unicode scalar values: a surrogate pair (an emoji, say) counts once, as Python's <c>len</c> counts it.
    /// </summary>
    public static int Characters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var surrogatePairs = 0;
        var span = text.AsSpan();
        // Fast path: most text has no surrogates at all, and IndexOfAnyInRange is vectorised.
        var next = span.IndexOfAnyInRange('\uD800', '\uDBFF');
        while (next >= 0)
        {
            if (next + 1 < span.Length && char.IsLowSurrogate(span[next + 1]))
            {
                surrogatePairs++;
            }

            span = span[(next + 1)..];
            next = span.IndexOfAnyInRange('\uD800', '\uDBFF');
        }

        return text.Length - surrogatePairs;
    }

    /// <summary>
    /// The measure for <paramref name="unit"/>: characters are built in; tokens need the model's tokenizer,
    /// which the caller supplies as <paramref name="tokenCounter"/>.
    /// </summary>
    public static LengthMeasure For(LengthUnit unit, LengthMeasure? tokenCounter = null) => unit switch
    {
        LengthUnit.Characters => Characters,
        LengthUnit.Tokens => tokenCounter ?? throw new ArgumentException(
            "lengthUnit is 'tokens' but no token counter was supplied; pass the tokenizer's count function, or set lengthUnit to 'characters'.",
            nameof(tokenCounter)),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown length unit."),
    };
}
