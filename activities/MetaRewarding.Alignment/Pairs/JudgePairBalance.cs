using System.Globalization;
using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Alignment.Pairs;

/// <summary>
/// Which of an iteration's judge pairs are kept (docs/ALGORITHM.md step 5g): at most
/// <see cref="JudgePairSettings.MaxShare"/> of all DPO pairs, and at most
/// <see cref="JudgePairSettings.MaxScoreClassShare"/> of the judge pairs in any one chosen-score class. Deterministic:
/// the pairs a cap drops are picked by a shuffle seeded from (run seed, iteration, score class); kept pairs keep their
/// order.
/// </summary>
public static class JudgePairBalance
{
    /// <summary>The purpose string of the seeded shuffle.</summary>
    public const string Purpose = "judge-pair-balance";

    /// <summary>
    /// For each candidate judge pair (given by its chosen judgment's score), <see cref="PairSkipReason.None"/> when
    /// it is kept, else the cap that drops it: <see cref="PairSkipReason.JudgeShareCap"/> for the pairs beyond the
    /// share of all pairs, <see cref="PairSkipReason.ScoreClassCap"/> for those the class cap removes after that.
    /// </summary>
    public static PairSkipReason[] Select(IReadOnlyList<double> chosenScores, long actorPairs, JudgePairSettings settings, long runSeed, int iteration)
    {
        ArgumentNullException.ThrowIfNull(chosenScores);
        ArgumentNullException.ThrowIfNull(settings);
        var count = chosenScores.Count;
        var byShare = settings.MaxShare is { } share ? Math.Min(count, ShareLimit(share, actorPairs)) : count;

        // Without a class cap every pair is in one class, so the share cap alone drops a seeded random subset.
        var classes = chosenScores
            .Select((score, index) => (Key: settings.MaxScoreClassShare is null ? 0 : score, Index: index))
            .GroupBy(c => c.Key)
            .OrderBy(g => g.Key)
            .Select(g => Shuffled([.. g.Select(c => c.Index)], runSeed, iteration, g.Key))
            .ToList();
        var (total, perClass) = settings.MaxScoreClassShare is { } classShare
            ? LargestBalanced(classes.ConvertAll(c => c.Count), byShare, classShare)
            : (byShare, int.MaxValue);

        var reasons = new PairSkipReason[count];
        Array.Fill(reasons, PairSkipReason.ScoreClassCap);
        var taken = 0;
        for (var round = 0; taken < total; round++)
        {
            foreach (var members in classes)
            {
                if (round < members.Count && round < perClass && taken < total)
                {
                    reasons[members[round]] = PairSkipReason.None;
                    taken++;
                }
            }
        }

        // What the share cap alone would drop is reported as the share cap; the rest of the drops as the class cap.
        var shareDrops = count - byShare;
        for (var i = count - 1; i >= 0 && shareDrops > 0; i--)
        {
            if (reasons[i] == PairSkipReason.ScoreClassCap)
            {
                reasons[i] = PairSkipReason.JudgeShareCap;
                shareDrops--;
            }
        }

        return reasons;
    }

    /// <summary>The most judge pairs J with J ≤ share·(actor pairs + J), i.e. J·(1 − share) ≤ share·actor pairs.</summary>
    public static int ShareLimit(double share, long actorPairs) =>
        share >= 1 ? int.MaxValue : (int)Math.Min(int.MaxValue, Math.Floor((share * actorPairs / (1 - share)) + 1e-9));

    /// <summary>
    /// The largest total T ≤ <paramref name="limit"/> that classes of the given sizes can fill with at most
    /// k = max(1, ⌊share·T⌋) pairs each, and that k.
    /// </summary>
    private static (int Total, int PerClass) LargestBalanced(IReadOnlyList<int> classSizes, int limit, double share)
    {
        for (var total = limit; total > 0; total--)
        {
            var perClass = Math.Max(1, (int)Math.Floor((share * total) + 1e-9));
            var fillable = classSizes.Sum(size => Math.Min(size, perClass));
            if (fillable >= total)
            {
                return (total, perClass);
            }
        }

        return (0, 0);
    }

    private static List<int> Shuffled(List<int> indices, long runSeed, int iteration, double scoreClass)
    {
        var random = DeterministicRandom.For(runSeed, iteration, Purpose, scoreClass.ToString("R", CultureInfo.InvariantCulture));
        for (var i = indices.Count - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }

        return indices;
    }
}
