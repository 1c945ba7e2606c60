namespace MetaRewarding.Modeling.Training;

/// <summary>
/// Deterministic shuffling: the order of epoch e is a Fisher–Yates permutation driven by a generator seeded
/// from (seed, e), so a resumed run sees exactly the batches the uninterrupted one would have seen.
/// </summary>
public static class EpochOrder
{
    public static int[] Permutation(int count, int shuffleSeed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        // System.Random with a seed is specified to produce the same sequence across runs and platforms.
        var random = new Random(HashCode32(shuffleSeed, epoch));
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    // HashCode.Combine is randomised per process, so mix explicitly (a fixed 32-bit FNV-1a over both ints).
    private static int HashCode32(int seed, int epoch)
    {
        unchecked
        {
            var hash = 2166136261u;
            foreach (var value in new[] { seed, epoch })
            {
                for (var shift = 0; shift < 32; shift += 8)
                {
                    hash = (hash ^ (uint)((value >> shift) & 0xFF)) * 16777619u;
                }
            }

            return (int)(hash & 0x7FFFFFFF);
        }
    }
}
