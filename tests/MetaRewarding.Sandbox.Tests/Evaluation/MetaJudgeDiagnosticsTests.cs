using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Evaluation;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Tests.Evaluation;

public class MetaJudgeDiagnosticsTests
{
    private static readonly ConstraintTask C5ce = new(5, 'c', 'e');

    // "A: cabce" repeats c: truth ++++- (score 4).
    private static MetaJudgedPair Pair(string a, string b, string meta) =>
        new(C5ce, "A: cabce", new ModelCompletion(a), new ModelCompletion(b), new ModelCompletion(meta));

    [Fact]
    public void Evaluate_HandLabelledPairs_MatchesHandCounts()
    {
        var metrics = MetaJudgeDiagnostics.Evaluate(
        [
            // 1: A exact, B lenient; picks A (right, the lower score).
            Pair("++++- Score: 4", "+++++ Score: 5", "Winner: Judgment A"),

            // 2: A lenient, B exact; picks A (wrong, the higher score); its own marks are all right.
            Pair("+++++ Score: 5", "++++- Score: 4", "++++- 1 0 Winner: Judgment A"),

            // 3: B unparsable, so A is better; the verdict does not parse: counted wrong.
            Pair("++++- Score: 4", "garbage", "nonsense"),

            // 4: one wrong mark each and equally far in score: the oracle cannot decide; picks B (higher).
            Pair("+++-- Score: 3", "+++++ Score: 5", "Winner: Judgment B"),

            // 5: picks the lenient B (wrong, higher); its own marks get "no repeat" wrong.
            Pair("++++- Score: 4", "+++++ Score: 5", "+++++ 1 0 Winner: Judgment B"),
        ]);

        Assert.Equal(5, metrics.Pairs);
        Assert.Equal(new Ratio(4, 5), metrics.ParseRate);
        Assert.Equal(new Ratio(1, 4), metrics.Accuracy); // pairs 1, 2, 3, 5 decided; only 1 right
        Assert.Equal(new Ratio(3, 4), metrics.HigherScorePreference); // pairs 1 (no), 2, 4, 5 (yes)
        Assert.Equal(new Ratio(0, 3), metrics.HigherScoreIsBetter); // pairs 1, 2, 5: the lower score is better
        Assert.Equal(new Ratio(1, 3), metrics.AccuracyWhenLowerIsBetter);
        Assert.Equal(new Ratio(2, 4), metrics.PositionARate);
        Assert.Equal(new Ratio(9, 10), metrics.OwnMarkAccuracy);
    }

    [Fact]
    public void JudgmentError_Ordering_MarksFirstThenScoreDistance()
    {
        bool[] truth = [true, true, true, true, false];
        var exact = JudgmentError.Of(new ModelCompletion("++++- Score: 4"), truth);
        var inconsistent = JudgmentError.Of(new ModelCompletion("++++- Score: 5"), truth);
        var noMarks = JudgmentError.Of(new ModelCompletion("Score: 4"), truth);
        var unparsable = JudgmentError.Of(new ModelCompletion("++++-"), truth);
        Assert.Equal(new JudgmentError(0, 0), exact);
        Assert.True(exact < inconsistent);
        Assert.True(inconsistent < noMarks);
        Assert.True(noMarks < unparsable);
    }
}
