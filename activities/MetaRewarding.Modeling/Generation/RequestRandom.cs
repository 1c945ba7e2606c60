namespace MetaRewarding.Modeling.Generation;

/// <summary>
/// Counter-based random numbers: the draw for (seed, step) is a pure function of both (SplitMix64 mixing), so a
/// request's draws never depend on which other requests share its batch or in what order rows are processed.
/// </summary>
internal static class RequestRandom
{
    /// <summary>A uniform double in [0, 1) for this request's <paramref name="step"/>-th token.</summary>
    public static double Uniform(long seed, int step)
    {
        var mixed = Mix(unchecked((ulong)seed) ^ Mix((ulong)step + 0x9E3779B97F4A7C15UL));
        return (mixed >> 11) * (1.0 / (1UL << 53));
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
