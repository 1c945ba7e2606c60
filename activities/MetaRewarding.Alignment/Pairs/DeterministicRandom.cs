using System.Text;

namespace MetaRewarding.Alignment.Pairs;

/// <summary>
/// SplitMix64: a tiny, fully specified random generator, so tie-breaks give the same answer on every machine and
/// .NET version. Seeds derive from the run seed, the iteration and the prompt id (docs/DESIGN.md: a rerun produces the
/// same artifacts).
/// </summary>
public struct DeterministicRandom
{
    private ulong _state;

    public DeterministicRandom(ulong seed) => _state = seed;

    /// <summary>A generator for one decision: (run seed, iteration number, purpose, item id) → seed.</summary>
    public static DeterministicRandom For(long runSeed, int iteration, string purpose, string itemId)
    {
        var seed = Mix((ulong)runSeed ^ Fnv1a(purpose));
        seed = Mix(seed ^ (ulong)iteration);
        seed = Mix(seed ^ Fnv1a(itemId));
        return new DeterministicRandom(seed);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A uniform integer in [0, <paramref name="count"/>), by rejection so it has no modulo bias.</summary>
    public int NextInt(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var bound = (ulong)count;
        var limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong value;
        do
        {
            value = NextUInt64();
        }
        while (value >= limit);
        return (int)(value % bound);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 0x100000001B3UL;
        }

        return hash;
    }
}
