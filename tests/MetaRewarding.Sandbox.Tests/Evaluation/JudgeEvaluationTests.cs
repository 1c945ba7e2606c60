using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Evaluation;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Tests.Evaluation;

public class JudgeEvaluationTests
{
    // Tolerance 1e-12: every expected value is a small exact fraction.
    private const double Tolerance = 1e-12;

    private static readonly ConstraintTask C5ce = new(5, 'c', 'e');

    private static JudgedResponse Judged(string response, string judgment) => new(C5ce, response, new ModelCompletion(judgment));

    [Fact]
    public void Evaluate_WithAnUnparsableJudgment_CountsItAsTheMiddleScore()
    {
        // True scores 5, 3, 0, 2; judged 5, 4, unparsable (2.5), 2.
        var metrics = JudgeAgreement.Evaluate(
        [
            Judged("A: cabed", "+++++ Score: 5"),
            Judged("A: cacac", "Score: 4"),
            Judged("ddd", "I think it is fine"),
            Judged("A: cc", "++--- Score: 2"),
        ]);

        Assert.Equal(4, metrics.Items);
        Assert.Equal(0.75, metrics.ParseRate, Tolerance);
        Assert.Equal(0.5, metrics.Exact, Tolerance);
        Assert.Equal(0.75, metrics.WithinOne, Tolerance); // |2.5 - 0| > 1
        Assert.Equal(0.875, metrics.Bias, Tolerance); // (0 + 1 + 2.5 + 0) / 4
        Assert.Equal(0.8, metrics.Spearman, Tolerance); // ranks [4,3,2,1] vs [4,3,1,2]
        Assert.Equal(2.5, metrics.MeanTrueScore, Tolerance);
    }

    [Fact]
    public void Evaluate_AllUnparsable_HasZeroSpearmanNotAPerfectOne()
    {
        var metrics = JudgeAgreement.Evaluate([Judged("A: cabed", "?"), Judged("ddd", "?"), Judged("A: cc", "")]);
        Assert.Equal(0, metrics.ParseRate);
        Assert.Equal(0, metrics.Exact);
        Assert.Equal(0, metrics.Spearman);
    }

    private static IReadOnlyList<JudgedResponse> CatchRateItems() =>
    [
        Judged("A: cabdf", "+++-+ Score: 4"), // lacks e: caught
        Judged("A: cabdg", "+++++ Score: 5"), // lacks e: missed
        Judged("A: cabce", "++++- Score: 4"), // repeats c: caught
        Judged("A: cabed", "+++-+ Score: 4"), // correct: a false alarm on "contains"
        Judged("A: cacac", "Score: 3"), // lacks e and repeats: marks unparsable, so both missed
    ];

    [Fact]
    public void CatchRates_HandLabelledSet_CountViolationsCaughtAndFalseAlarms()
    {
        var rates = CriterionCatchRates.Compute(CatchRateItems());

        Assert.Equal(["format", "length", "start", "contains", "no repeat"], rates.Select(r => r.Criterion));
        Assert.Equal(new Ratio(1, 3), rates[3].Caught);
        Assert.Equal(new Ratio(1, 2), rates[3].FalseAlarms);
        Assert.Equal(new Ratio(1, 2), rates[4].Caught);
        Assert.Equal(new Ratio(0, 3), rates[4].FalseAlarms);
        Assert.Null(rates[0].Caught.Rate); // no format violations in the set
    }

    [Fact]
    public void LabelledJudgeSet_Default_IsDeterministicStratifiedAndFromTheEvaluationSplit()
    {
        var settings = new SandboxSettings();
        var set = LabelledJudgeSet.Create(settings, 600);
        var again = LabelledJudgeSet.Create(settings, 300);
        Assert.Equal(again.Select(i => (i.Task.Prompt, i.Response)), set.Take(300).Select(i => (i.Task.Prompt, i.Response)));

        var source = new TaskSource(settings);
        Assert.All(set, i => Assert.Equal(DatasetSplit.Evaluation, source.SplitOf(i.Task)));
        Assert.All(set, i => Assert.Equal(i.TrueMarks, Rubric.Marks(i.Task, i.Response)));

        // Stratified: each score has probability 1/6, SD of a count at n = 600 is ~9; 40 is > 4 SD.
        Assert.All(Enumerable.Range(0, 6), s => Assert.InRange(set.Count(i => i.TrueScore == s), 100 - 40, 100 + 40));

        // Enough "contains" and "no repeat" violations for the gate's default of 10 (measured 315 and 273).
        Assert.True(set.Count(i => !i.TrueMarks[ConstraintTask.ContainsCriterion]) >= 100);
        Assert.True(set.Count(i => !i.TrueMarks[ConstraintTask.NoRepeatCriterion]) >= 100);
    }
}
