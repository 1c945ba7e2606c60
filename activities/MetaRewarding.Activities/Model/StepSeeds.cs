using System.Globalization;
using MetaRewarding.Alignment.Pairs;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// Every random draw of a model step derives from (run seed, iteration, step, item): a retried or reset shard,
/// or the same prompt in a shard of another size, samples exactly the same completions (docs/DESIGN.md).
/// </summary>
public static class StepSeeds
{
    public const string Generate = "generate";
    public const string Judge = "judge";
    public const string MetaJudge = "meta-judge";
    public const string Dpo = "dpo";
    public const string SeedModel = "seed-model";
    public const string Evaluate = "evaluate";

    /// <summary>The seed of sample <paramref name="index"/> of <paramref name="itemId"/> in <paramref name="step"/> of iteration <paramref name="iteration"/> (0: before iteration 1).</summary>
    public static long For(long runSeed, int iteration, string step, string itemId, int index = 0)
    {
        var random = DeterministicRandom.For(runSeed, iteration, step, itemId + "#" + index.ToString(CultureInfo.InvariantCulture));
        return unchecked((long)random.NextUInt64());
    }

    /// <summary>A non-negative 31-bit seed (for APIs that take an int, such as the training shuffle).</summary>
    public static int ForInt(long runSeed, int iteration, string step, string itemId) =>
        (int)(For(runSeed, iteration, step, itemId) & int.MaxValue);
}
