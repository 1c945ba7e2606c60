using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Tests;

public class OracleJudgeTests
{
    [Fact]
    public void Judgment_FromPromptText_IsTheTrueJudgment()
    {
        Assert.Equal("++-+- Score: 3", OracleJudge.Judgment("C 5 c e", "A: abcee"));
        Assert.Equal("+++++ Score: 5", OracleJudge.Judgment("C 5 c e\n", "A: cabed"));
        Assert.Equal(4, OracleJudge.Score("R abcde", "A: edcab"));
        Assert.Equal("+++-+ ae Score: 4", OracleJudge.Judgment("G ab cf bd de ag fg eh|a e", "A: ae"));
        Assert.Throws<FormatException>(() => OracleJudge.Score("Q 5", "A: x"));
    }

    [Fact]
    public void TrueMetaJudgment_ConstraintTask_FewerWrongMarksWinsInTheReasoningForm()
    {
        // "A: cabce" repeats c: the truth is ++++-; A gets one mark wrong, B none.
        ISandboxTask task = new ConstraintTask(5, 'c', 'e');
        Assert.Equal("++++- 1 0 Winner: Judgment B", task.TrueMetaJudgment("A: cabce", new ModelCompletion("+++++ Score: 5"), new ModelCompletion("++++- Score: 4")));

        // Neither better: the one shown first, so the two orders of a battle cancel.
        Assert.Equal("++++- 0 0 Winner: Judgment A", task.TrueMetaJudgment("A: cabce", new ModelCompletion("++++- Score: 4"), new ModelCompletion("++++- Score: 4")));
    }

    [Fact]
    public void TrueMetaJudgment_RouteTask_ChecksTheFirstDisagreement()
    {
        ISandboxTask task = SandboxTasks.Parse("G ab cf bd de ag fg eh|a e");
        Assert.Equal("4 ae y Winner: Judgment B", task.TrueMetaJudgment("A: ae", new ModelCompletion("+++++ Score: 5"), new ModelCompletion("+++-+ ae Score: 4")));
        Assert.Equal("Winner: Judgment A", task.TrueMetaJudgment("A: ae", new ModelCompletion("+++-+ ae Score: 4"), new ModelCompletion("+++-+ ae Score: 4")));
    }
}
