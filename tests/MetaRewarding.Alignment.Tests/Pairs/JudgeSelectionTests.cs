using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Pairs;
using MetaRewarding.Alignment.Scoring;

namespace MetaRewarding.Alignment.Tests.Pairs;

public class JudgeSelectionTests
{
    [Fact]
    public void Select_HighestVarianceResponse_IsPicked()
    {
        JudgeCandidate[] candidates =
        [
            new(ResponseScore.FromScores([4, 4, 4]), 3), // variance 0
            new(ResponseScore.FromScores([1, 5, 3]), 3), // variance 8/3
            new(ResponseScore.FromScores([2, 3, 4]), 3), // variance 2/3
        ];
        var random = new DeterministicRandom(1);

        Assert.Equal(1, JudgeResponseSelector.Select(candidates, ref random));
    }

    [Fact]
    public void Select_HighestVarianceWithFewerThanTwoDistinctJudgments_IsPassedOver()
    {
        JudgeCandidate[] candidates =
        [
            new(ResponseScore.FromScores([0, 5]), 1), // two identical texts only count once
            new(ResponseScore.FromScores([2, 3]), 2),
        ];
        var random = new DeterministicRandom(1);

        Assert.Equal(1, JudgeResponseSelector.Select(candidates, ref random));
    }

    [Fact]
    public void Select_JudgmentsThatAllAgree_AreNeverBattled()
    {
        // Two distinct texts that both give 3 (variance 0) leave the meta-judge nothing to settle, even when no other
        // response qualifies.
        JudgeCandidate[] candidates = [new(ResponseScore.FromScores([3, 3]), 2), new(ResponseScore.FromScores([4, 4, 4]), 3)];
        var random = new DeterministicRandom(1);

        Assert.Equal(-1, JudgeResponseSelector.Select(candidates, ref random));
    }

    [Fact]
    public void BattleTarget_AgreeingJudges_SkipsWithItsOwnReason()
    {
        var judged = new[] { Judged("r0", "Fine. Score: 3", "Good. Score: 3"), Judged("r1", "Score: 2") };

        Assert.Null(BattleTarget.Select(1, 1, "p", judged, out var skip));
        Assert.Equal(PairSkipReason.JudgmentsAgree, skip);
        Assert.Null(BattleTarget.Select(1, 1, "p", [Judged("r1", "Score: 2", "Score: 2", "none")], out skip));
        Assert.Equal(PairSkipReason.TooFewDistinctJudgments, skip);
    }

    [Fact]
    public void BattleTarget_HandComputedPrompt_BattlesTheDistinctValidJudgmentsInFileOrder()
    {
        // r0: scores 3, 3 (variance 0); r1: 1, 5, 5 (same text twice), invalid (variance 3.56, 2 distinct valid).
        var judged = new[]
        {
            Judged("r0", "Score: 3", "Okay. Score: 3"),
            Judged("r1", "Bad. Score: 1", "Great. Score: 5", "Great. Score: 5", "No idea."),
        };

        var target = BattleTarget.Select(1, 1, "p", judged, out var skip);

        Assert.Equal(PairSkipReason.None, skip);
        Assert.Equal(1, target!.Response);
        Assert.Equal(["r1/j0", "r1/j1"], target.Judgments.Select(j => j.Record.Id));
    }

    [Fact]
    public void DuplicateResponses_SameTextForAnotherPrompt_IsKept()
    {
        ResponseRecord[] responses =
        [
            new() { Id = "p/r0", PromptId = "p", Text = "x" }, new() { Id = "p/r1", PromptId = "p", Text = "x" },
            new() { Id = "q/r0", PromptId = "q", Text = "x" }, new() { Id = "p/r2", PromptId = "p", Text = "X" },
        ];

        Assert.Equal(["p/r0", "q/r0", "p/r2"], DuplicateResponses.Drop(responses).Select(r => r.Id));
    }

    [Fact]
    public void PromptBattles_HideScores_ShowsTheMetaJudgeTheReasoningWithoutTheNumbers()
    {
        ResponseRecord[] responses = [new() { Id = "p/r0", PromptId = "p", Text = "An answer." }];
        JudgmentRecord[] judgments =
        [
            new() { Id = "p/r0/j0", PromptId = "p", ResponseId = "p/r0", Text = "Thorough and correct.\n**Score:** 5" },
            new() { Id = "p/r0/j1", PromptId = "p", ResponseId = "p/r0", Text = "Misses the point.\nScore: [2]" },
        ];
        var plan = Assert.Single(PromptBattles.Plan(1, 1, responses, judgments));

        var hidden = plan.Values("Q?", plan.Battles[1], hideScores: true);
        var shown = plan.Values("Q?", plan.Battles[1], hideScores: false);

        Assert.Equal(("Misses the point.", "Thorough and correct."), (hidden.JudgmentA, hidden.JudgmentB)); // battle 1 is (j1, j0)
        Assert.Equal(("Misses the point.\nScore: [2]", "Q?", "An answer."), (shown.JudgmentA, shown.Prompt, shown.Response));
    }

    private static ScoredJudgment[] Judged(string responseId, params string[] texts) =>
        [.. texts.Select((text, j) => ScoredJudgment.Parse(new JudgmentRecord { Id = $"{responseId}/j{j}", PromptId = "p", ResponseId = responseId, Text = text }))];

    [Fact]
    public void Select_NoEligibleResponse_ReturnsMinusOne()
    {
        JudgeCandidate[] candidates = [new(ResponseScore.FromScores([3]), 1), new(ResponseScore.FromScores([double.NaN]), 0)];
        var random = new DeterministicRandom(1);

        Assert.Equal(-1, JudgeResponseSelector.Select(candidates, ref random));
    }

    [Fact]
    public void Select_TiedVariance_IsDecidedBySeededRandomDeterministically()
    {
        JudgeCandidate[] candidates =
        [
            new(ResponseScore.FromScores([1, 3]), 2),
            new(ResponseScore.FromScores([0, 0]), 2),
            new(ResponseScore.FromScores([2, 4]), 2),
        ];
        var picks = new List<int>();
        for (var prompt = 0; prompt < 64; prompt++)
        {
            var first = DeterministicRandom.For(7, 1, "judge-response", $"p{prompt}");
            var again = DeterministicRandom.For(7, 1, "judge-response", $"p{prompt}");
            var pick = JudgeResponseSelector.Select(candidates, ref first);
            Assert.Equal(pick, JudgeResponseSelector.Select(candidates, ref again));
            picks.Add(pick);
        }

        // Only the two tied responses are ever picked, and the seed, not the index, decides between them.
        Assert.Equal([0, 2], picks.Distinct().Order());
    }

    [Fact]
    public void Select_VariancesEqualUpToRounding_AreATie()
    {
        var variance = ResponseScore.FromScores([1, 3]).Variance;
        JudgeCandidate[] candidates =
        [
            new(ResponseScore.FromScores([1, 3]), 2),
            new(ResponseScore.FromScores([1, 3]) with { Variance = variance + 1e-15 }, 2),
        ];
        var picks = Enumerable.Range(0, 64).Select(p =>
        {
            var random = DeterministicRandom.For(7, 1, "judge-response", $"p{p}");
            return JudgeResponseSelector.Select(candidates, ref random);
        });

        Assert.Equal([0, 1], picks.Distinct().Order());
    }

    [Fact]
    public void DeterministicRandom_SameInputs_GiveTheSameStream_DifferentInputsDiffer()
    {
        var a = DeterministicRandom.For(1, 2, "x", "p1");
        var b = DeterministicRandom.For(1, 2, "x", "p1");
        var c = DeterministicRandom.For(1, 3, "x", "p1");

        Assert.Equal(a.NextUInt64(), b.NextUInt64());
        Assert.NotEqual(a.NextUInt64(), c.NextUInt64());
        // SplitMix64 reference value for seed 0 (Vigna's splitmix64.c): pins the generator across versions.
        var zero = new DeterministicRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, zero.NextUInt64());
    }

    [Fact]
    public void SelectJudgePair_ClearWinner_ChoosesArgmaxAndArgmin()
    {
        var decision = JudgePairSelector.Select([0.2, 1.5, -1.7], ["a", "b", "c"], [10, 10, 10], null);

        Assert.Equal(JudgePairDecision.Pair(1, 2), decision);
    }

    [Fact]
    public void SelectJudgePair_AllRatingsTie_Skips()
    {
        Assert.Equal(PairSkipReason.EloTie, JudgePairSelector.Select([0, 1e-9, 0], ["a", "b", "c"], [1, 1, 1], null).Skip);
    }

    [Fact]
    public void SelectJudgePair_IdenticalTexts_Skips()
    {
        Assert.Equal(PairSkipReason.IdenticalJudgments, JudgePairSelector.Select([1, -1], ["same", "same"], [4, 4], null).Skip);
    }

    [Fact]
    public void SelectJudgePair_ChosenOverCap_Skips_AtCapIsKept()
    {
        Assert.Equal(PairSkipReason.ChosenJudgmentOverCap, JudgePairSelector.Select([1, -1], ["long", "short"], [1101, 5], 1100).Skip);
        Assert.True(JudgePairSelector.Select([1, -1], ["long", "short"], [1100, 5], 1100).IsPair);
    }

    [Fact]
    public void SelectJudgePair_TopOrBottomTie_TakesTheLowestIndexAndSaysSo()
    {
        var topTie = JudgePairSelector.Select([1.2, -0.5, 1.2 + 1e-9], ["a", "b", "c"], [1, 1, 1], null);
        var bottomTie = JudgePairSelector.Select([-0.5, 1.2, -0.5], ["a", "b", "c"], [1, 1, 1], null);

        Assert.Equal((0, 1, true, false), (topTie.Chosen, topTie.Rejected, topTie.TopTied, topTie.BottomTied));
        Assert.Equal((1, 0, false, true), (bottomTie.Chosen, bottomTie.Rejected, bottomTie.TopTied, bottomTie.BottomTied));
        Assert.False(JudgePairSelector.Select([0.2, 1.5, -1.7], ["a", "b", "c"], [1, 1, 1], null).TopTied);
    }
}
