using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Evaluation;
using MetaRewarding.Sandbox.Formats;
using MetaRewarding.Sandbox.Sft;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Tests.Sft;

public class RouteSftTests
{
    private static readonly SandboxSettings Settings = SandboxSettings.For(TaskFamily.Route);
    private static readonly SftDataset Data = new(Settings);

    [Fact]
    public void ActorDemonstrations_AreAllCorrectShortestRoutes()
    {
        // The seed's errors must come from the search it cannot do, not from injected noise.
        for (var i = 0; i < 2000; i++)
        {
            var demo = Data.ActorDemonstrationAt(i);
            Assert.True(Rubric.IsCorrect(demo.Task, demo.Response), demo.Response);
        }
    }

    [Fact]
    public void JudgeLabels_FlipMarksAndWitnessesAtTheSameRate()
    {
        // 10,000 labels x 5 marks: SD of the flip share ~0.0016; 4 SD = 0.0065, stated as 0.01.
        int flipped = 0, marks = 0, witnesses = 0, wrongWitnesses = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var demo = Data.JudgeDemonstrationAt(i);
            flipped += demo.TrueMarks.Zip(demo.LabelMarks).Count(p => p.First != p.Second);
            marks += 5;
            var route = (RouteTask)demo.Task;
            if (!demo.TrueMarks[RouteTask.EdgesCriterion] && !demo.LabelMarks[RouteTask.EdgesCriterion] && route.FirstInvalidStep(demo.Response) is not null)
            {
                witnesses++;
                wrongWitnesses += demo.Witness == route.FirstInvalidStep(demo.Response) ? 0 : 1;
            }

            Assert.Equal(demo.LabelMarks.Count(m => m), JudgeScoreParser.Parse(new ModelCompletion(Data.Render(demo).Completion)).Score);
        }

        Assert.InRange(flipped / (double)marks, 0.14, 0.16);

        // A wrong citation is another step of the route; with p = 0.15 and ~2,000 witnessed labels, 4 SD ~ 0.032.
        Assert.InRange(wrongWitnesses / (double)witnesses, 0.15 - 0.035, 0.15 + 0.035);
    }

    [Fact]
    public void MetaDemonstrations_CheckLabelNoiseIsTheJudgeRate_AndTheVerdictFollowsIt()
    {
        int wrongChecks = 0, wrongVerdicts = 0, aWins = 0, higherWins = 0, scoresDiffer = 0;
        const int n = 4000;
        for (var i = 0; i < n; i++)
        {
            var demo = Data.RouteMetaJudgeDemonstrationAt(i);
            var a = new ModelCompletion(demo.JudgmentA);
            var b = new ModelCompletion(demo.JudgmentB);
            Assert.Equal(demo.Point, RouteMetaRule.FirstDisagreement(a, b));
            Assert.Equal(demo.CheckTruth, RouteMetaRule.Holds(demo.Task, demo.Response, demo.Point));
            Assert.Equal(demo.LabelWinner, MetaJudgeVerdictParser.Parse(new ModelCompletion(demo.Completion)).Winner);
            var errorA = demo.Task.ErrorOf(demo.Response, a);
            var errorB = demo.Task.ErrorOf(demo.Response, b);
            Assert.Equal(demo.TrueWinner, errorA < errorB ? VerdictPosition.A : VerdictPosition.B);
            wrongChecks += demo.CheckLabel != demo.CheckTruth ? 1 : 0;
            wrongVerdicts += demo.LabelWinner != demo.TrueWinner ? 1 : 0;
            aWins += demo.TrueWinner == VerdictPosition.A ? 1 : 0;
            var scoreA = JudgeScoreParser.Parse(a).Score;
            var scoreB = JudgeScoreParser.Parse(b).Score;
            if (scoreA != scoreB)
            {
                scoresDiffer++;
                higherWins += (demo.TrueWinner == VerdictPosition.A) == (scoreA > scoreB) ? 1 : 0;
            }

            // The meta-judge's target is one check and a verdict: never the judge's whole (clean) answer.
            Assert.DoesNotContain("Score", demo.Completion, StringComparison.Ordinal);
            Assert.DoesNotContain(demo.Task.TrueJudgment(demo.Response)[..5], demo.Completion, StringComparison.Ordinal);
        }

        // Binomial SD at n = 4,000 and p = 0.15 is 0.0056; 4 SD ~ 0.023.
        Assert.InRange(wrongChecks / (double)n, 0.15 - 0.023, 0.15 + 0.023);
        Assert.Equal(wrongChecks, wrongVerdicts);
        Assert.InRange(aWins / (double)n, 0.5 - 0.035, 0.5 + 0.035);
        Assert.InRange(higherWins / (double)scoresDiffer, 0.5 - 0.05, 0.5 + 0.05);
    }

    [Fact]
    public void Examples_FitTheContextAndUseTrainTasks()
    {
        foreach (var example in Data.Examples().Take(3000))
        {
            Assert.True(example.Prompt.Length + example.Completion.Length + SandboxLimits.SpecialTokens <= SandboxLimits.LongestRouteSequence(Settings.GraphEdges), example.Prompt);
            Assert.True(SandboxAlphabet.Covers(example.Prompt + example.Completion));
            var prompt = example.Prompt[2..].Split('|')[0] + "|" + example.Prompt[2..].Split('|')[1];
            var task = example.Kind == SftExampleKind.Actor ? SandboxTasks.Parse(example.Prompt) : SandboxTasks.Parse(prompt.TrimEnd('\n'));
            Assert.Equal(DatasetSplit.Train, Data.Tasks.SplitOf(task));
        }
    }

    [Fact]
    public void OracleMetaJudgment_PicksTheJudgmentWithFewerErrorsWhenTheyFirstDisagreeOnThat()
    {
        var task = (RouteTask)SandboxTasks.Parse("G ab cf bd de ag fg eh|a e");
        var trace = RouteMetaRule.TrueMetaJudgment(task, "A: abe", new ModelCompletion("+++++ Score: 5"), new ModelCompletion("+++-+ be Score: 4"));
        Assert.Equal("4 be y Winner: Judgment B", trace);
        trace = RouteMetaRule.TrueMetaJudgment(task, "A: abe", new ModelCompletion("+++-+ ab Score: 4"), new ModelCompletion("+++-+ be Score: 4"));
        Assert.Equal("4 ab n Winner: Judgment B", trace);
        trace = RouteMetaRule.TrueMetaJudgment(task, "A: abd", new ModelCompletion("++-++ Score: 4"), new ModelCompletion("+++++ Score: 5"));
        Assert.Equal("3 n Winner: Judgment A", trace);
        Assert.Equal((2, (string?)null, false), WitnessMetaJudgmentFormat.TryParseCheck(new ModelCompletion(trace!)));
        Assert.Null(RouteMetaRule.TrueMetaJudgment(task, "A: abd", new ModelCompletion("++-++ Score: 4"), new ModelCompletion("++-++ Score: 4")));
    }
}
