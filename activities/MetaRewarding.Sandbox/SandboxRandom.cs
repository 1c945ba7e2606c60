using System.Globalization;
using MetaRewarding.Alignment.Pairs;

namespace MetaRewarding.Sandbox;

/// <summary>
/// The sandbox's only source of randomness: Alignment's fully specified SplitMix64, so the same seed gives the
/// same tasks and demonstrations on every machine and .NET version (System.Random's algorithm is not a contract).
/// Every generated item gets its own generator from (seed, purpose, index), so items can be produced lazily, in
/// any order, on any worker, and still be identical.
/// </summary>
public sealed class SandboxRandom
{
    private DeterministicRandom _bits;

    /// <summary>A generator started from <paramref name="seed"/>.</summary>
    public SandboxRandom(ulong seed) => _bits = new DeterministicRandom(seed);

    private SandboxRandom(DeterministicRandom bits) => _bits = bits;

    /// <summary>The generator for item <paramref name="index"/> of the stream named <paramref name="purpose"/> under <paramref name="seed"/>.</summary>
    public static SandboxRandom For(long seed, string purpose, long index)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        return new SandboxRandom(DeterministicRandom.For(seed, 0, purpose, index.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>A stable number in [0, 1) for <paramref name="key"/> under <paramref name="seed"/> (used to assign tasks to splits).</summary>
    public static double StableUnit(long seed, string purpose, string key)
    {
        var bits = DeterministicRandom.For(seed, 0, purpose, key);
        return ToUnit(bits.NextUInt64());
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => ToUnit(_bits.NextUInt64());

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>A uniform integer in [0, <paramref name="count"/>).</summary>
    public int NextInt(int count) => _bits.NextInt(count);

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="maxInclusive"/>].</summary>
    public int NextInt(int min, int maxInclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInclusive, min);
        return min + _bits.NextInt(maxInclusive - min + 1);
    }

    /// <summary>A uniformly chosen element of a non-empty list.</summary>
    public T Choose<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("Cannot choose from an empty list.", nameof(items));
        }

        return items[NextInt(items.Count)];
    }

    /// <summary>A uniformly chosen character of a non-empty string.</summary>
    public char Choose(string symbols)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbols);
        return symbols[NextInt(symbols.Length)];
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static double ToUnit(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));
}
