using FsCheck.Xunit;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Pairs;
using MetaRewarding.Alignment.Scoring;

namespace MetaRewarding.Alignment.Tests.Pairs;

public class ActorPairSelectorTests
{
    // A: 5.0 / 900 chars, B: 4.0 / 300, C: 1.0 / 200, D: 2.0 / 1000. S_max = 5, S_min = 1.
    private static readonly ActorCandidate[] FourResponses =
    [
        Candidate("A", 900, 5.0),
        Candidate("B", 300, 4.0),
        Candidate("C", 200, 1.0),
        Candidate("D", 1000, 2.0),
    ];

    [Fact]
    public void Select_RhoZero_IsBestVersusWorst()
    {
        var decision = ActorPairSelector.Select(FourResponses, new ActorPairSettings { Rho = 0 });

        Assert.Equal(ActorPairDecision.Pair(0, 2), decision); // A (5.0) over C (1.0)
    }

    [Fact]
    public void Select_Rho032_PrefersShortTopAndLongBottom()
    {
        // Chosen tier [0.68·5 + 0.32·1, 5] = [3.72, 5] = {A, B}: shortest is B (300).
        // Rejected tier [1, 0.68·1 + 0.32·5] = [1, 2.28] = {C, D}: longest is D (1000).
        var decision = ActorPairSelector.Select(FourResponses, new ActorPairSettings { Rho = 0.32 });

        Assert.Equal(ActorPairDecision.Pair(1, 3), decision);
    }

    [Fact]
    public void Select_ScoreExactlyOnTheTierBound_IsInsideTheTier()
    {
        // Tier floor 0.68·5 + 0.32·1 = 3.72 in exact arithmetic; in floating point it may land one ulp away.
        ActorCandidate[] candidates = [Candidate("A", 900, 5.0), Candidate("B", 300, 3.72), Candidate("C", 200, 1.0)];

        Assert.Equal(1, ActorPairSelector.Select(candidates, new ActorPairSettings { Rho = 0.32 }).Chosen);
    }

    [Fact]
    public void Select_ChosenOverCap_SkipsThePrompt()
    {
        var decision = ActorPairSelector.Select(FourResponses, new ActorPairSettings { Rho = 0, ChosenMaxLength = 800 });

        Assert.Equal(PairSkipReason.ChosenResponseOverCap, decision.Skip);
        Assert.False(decision.IsPair);
    }

    [Fact]
    public void Select_ChosenExactlyAtCap_IsKept()
    {
        Assert.True(ActorPairSelector.Select(FourResponses, new ActorPairSettings { Rho = 0, ChosenMaxLength = 900 }).IsPair);
    }

    [Fact]
    public void Select_AllScoresEqual_Skips()
    {
        ActorCandidate[] candidates = [Candidate("A", 10, 3.0), Candidate("B", 20, 3.0), Candidate("C", 30, double.NaN)];

        Assert.Equal(PairSkipReason.AllScoresEqual, ActorPairSelector.Select(candidates, new ActorPairSettings()).Skip);
    }

    [Fact]
    public void Select_ScoresEqualUpToRounding_SkipsAsAllEqual()
    {
        ActorCandidate[] candidates = [Candidate("A", 10, 0.1 + 0.2), Candidate("B", 20, 0.3)];

        Assert.Equal(PairSkipReason.AllScoresEqual, ActorPairSelector.Select(candidates, new ActorPairSettings()).Skip);
    }

    [Fact]
    public void Select_NoValidScores_Skips()
    {
        ActorCandidate[] candidates = [Candidate("A", 10, double.NaN), Candidate("B", 20, double.NaN)];

        Assert.Equal(PairSkipReason.NoValidScores, ActorPairSelector.Select(candidates, new ActorPairSettings()).Skip);
        Assert.Equal(PairSkipReason.NoValidScores, ActorPairSelector.Select([], new ActorPairSettings()).Skip);
    }

    [Fact]
    public void Select_ResponseWithoutScore_TakesNoPart()
    {
        // The unscored response is the shortest and the longest; it must be neither chosen nor rejected.
        ActorCandidate[] candidates = [Candidate("X", 1, double.NaN), Candidate("A", 10, 4.0), Candidate("B", 20, 2.0), Candidate("Y", 5000, double.NaN)];

        Assert.Equal(ActorPairDecision.Pair(1, 2), ActorPairSelector.Select(candidates, new ActorPairSettings()));
    }

    [Fact]
    public void Select_SameResponseInBothTiers_SkipsAsChosenEqualsRejected()
    {
        // ρ = 0.5: both tiers meet at the midpoint 3. M (3.0) is the only response in both, and is both the
        // shortest of the top tier {M, T} and the longest of the bottom tier {M, L}.
        ActorCandidate[] candidates = [Candidate("T", 500, 5.0), Candidate("M", 100, 3.0), Candidate("L", 50, 1.0)];
        ActorCandidate[] m = [candidates[1] with { Length = 100 }, candidates[0] with { Length = 500 }, candidates[2] with { Length = 50 }];

        Assert.Equal(PairSkipReason.ChosenEqualsRejected, ActorPairSelector.Select(m, new ActorPairSettings { Rho = 0.5 }).Skip);
    }

    [Fact]
    public void Select_IdenticalTexts_SkipsAsChosenEqualsRejected()
    {
        ActorCandidate[] candidates = [Candidate("same", 4, 5.0), Candidate("same", 4, 1.0)];

        Assert.Equal(PairSkipReason.ChosenEqualsRejected, ActorPairSelector.Select(candidates, new ActorPairSettings()).Skip);
    }

    [Fact]
    public void Select_GapBelowMinimum_Skips()
    {
        ActorCandidate[] candidates = [Candidate("A", 10, 3.5), Candidate("B", 20, 3.0)];

        Assert.Equal(PairSkipReason.ScoreGapBelowMinimum, ActorPairSelector.Select(candidates, new ActorPairSettings { MinScoreGap = 1 }).Skip);
        Assert.True(ActorPairSelector.Select(candidates, new ActorPairSettings { MinScoreGap = 0.5 }).IsPair);
    }

    [Fact]
    public void Select_EqualLengthsInTier_TakesTheFirstSampled()
    {
        ActorCandidate[] candidates = [Candidate("A", 10, 5.0), Candidate("B", 10, 5.0), Candidate("C", 30, 1.0), Candidate("D", 30, 1.0)];

        Assert.Equal(ActorPairDecision.Pair(0, 2), ActorPairSelector.Select(candidates, new ActorPairSettings()));
    }

    [Property(MaxTest = 500)]
    public bool Select_RandomPrompt_RespectsThePairInvariants(int seed)
    {
        var random = new Random(seed);
        var candidates = RandomCandidates(random);
        var rho = random.Next(4) switch { 0 => 0, 1 => 0.32, 2 => 0.5, _ => random.NextDouble() * 0.5 };

        var decision = ActorPairSelector.Select(candidates, new ActorPairSettings { Rho = rho });

        if (!decision.IsPair)
        {
            return decision.Skip is PairSkipReason.NoValidScores or PairSkipReason.AllScoresEqual or PairSkipReason.ChosenEqualsRejected;
        }

        var scored = candidates.Where(c => c.Score.HasScore).ToArray();
        var max = scored.Max(c => c.Score.Mean);
        var min = scored.Min(c => c.Score.Mean);
        var chosen = candidates[decision.Chosen];
        var rejected = candidates[decision.Rejected];
        var floor = ((1 - rho) * max) + (rho * min) - ActorPairSelector.TierTolerance;
        var ceiling = ((1 - rho) * min) + (rho * max) + ActorPairSelector.TierTolerance;
        return chosen.Score.Mean >= rejected.Score.Mean
            && (rho != 0 || chosen.Score.Mean == max)
            && (rho != 0 || rejected.Score.Mean == min)
            && chosen.Score.Mean >= floor
            && rejected.Score.Mean <= ceiling
            && scored.Where(c => c.Score.Mean >= floor).All(c => c.Length >= chosen.Length)
            && scored.Where(c => c.Score.Mean <= ceiling).All(c => c.Length <= rejected.Length);
    }

    [Property(MaxTest = 300)]
    public bool Select_LargerRho_NeverPicksALongerChosen(int seed)
    {
        // Widening the top tier can only add candidates, so its shortest member can only get shorter.
        var random = new Random(seed);
        var candidates = RandomCandidates(random);
        var narrow = ActorPairSelector.Select(candidates, new ActorPairSettings { Rho = 0 });
        var wide = ActorPairSelector.Select(candidates, new ActorPairSettings { Rho = 0.4 });

        return !narrow.IsPair || !wide.IsPair || candidates[wide.Chosen].Length <= candidates[narrow.Chosen].Length;
    }

    [Property(MaxTest = 300)]
    public bool Select_TruncatedResponses_DecideAsIfTheyWereAbsent(int seed)
    {
        // A truncated response takes no part: selecting among all candidates picks the same responses as selecting
        // among the complete ones only, and never a truncated one.
        var random = new Random(seed);
        var candidates = RandomCandidates(random).Select(c => c with { Complete = random.Next(3) > 0 }).ToArray();
        var complete = Enumerable.Range(0, candidates.Length).Where(i => candidates[i].Complete).ToArray();
        var settings = new ActorPairSettings { Rho = random.Next(2) * 0.32 };

        var all = ActorPairSelector.Select(candidates, settings);
        var alone = ActorPairSelector.Select([.. complete.Select(i => candidates[i])], settings);

        return all.IsPair
            ? alone.IsPair && candidates[all.Chosen].Complete && candidates[all.Rejected].Complete
                && complete[alone.Chosen] == all.Chosen && complete[alone.Rejected] == all.Rejected
            : !alone.IsPair && alone.Skip == all.Skip;
    }

    private static ActorCandidate[] RandomCandidates(Random random)
    {
        var candidates = new ActorCandidate[random.Next(1, 8)];
        for (var i = 0; i < candidates.Length; i++)
        {
            // Scores are means of up to 11 judgments in whole points, as real ones are; some responses have none.
            var valid = random.Next(0, 12);
            var mean = valid == 0 ? double.NaN : Enumerable.Range(0, valid).Sum(_ => random.Next(0, 6)) / (double)valid;
            candidates[i] = Candidate($"response {i}", random.Next(1, 40), mean);
        }

        return candidates;
    }

    private static ActorCandidate Candidate(string text, int length, double mean) =>
        new(text, length, double.IsNaN(mean) ? ResponseScore.FromScores([double.NaN]) : ResponseScore.FromScores([mean]));
}
