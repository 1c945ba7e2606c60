namespace MetaRewarding.Sandbox.Tests;

public class OracleJudgeTests
{
    [Fact]
    public void Judgment_FromPromptText_IsTheTrueJudgment()
    {
        Assert.Equal("++-+- Score: 3", OracleJudge.Judgment("C 5 c e", "A: abcee"));
        Assert.Equal("+++++ Score: 5", OracleJudge.Judgment("C 5 c e\n", "A: cabed"));
        Assert.Equal(4, OracleJudge.Score("R abcde", "A: edcab"));
        Assert.Throws<FormatException>(() => OracleJudge.Score("Q 5", "A: x"));
    }
}
