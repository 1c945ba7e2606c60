using FsCheck.Xunit;
using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Alignment.Tests.Parsing;

public class MetaJudgeVerdictParserTests
{
    [Theory]
    [InlineData("Judgment A is more accurate.\nWinner: Judgment A", VerdictPosition.A)]
    [InlineData("Winner: Judgment B", VerdictPosition.B)]
    [InlineData("winner: judgement a", VerdictPosition.A)]
    [InlineData("WINNER:JUDGEMENT B.", VerdictPosition.B)]
    [InlineData("**Winner: Judgment B**", VerdictPosition.B)]
    [InlineData("Winner: Judgment A\nOn second thought...\nWinner: Judgment B", VerdictPosition.B)]
    public void Parse_Verdict_ReturnsLastWinner(string text, VerdictPosition expected)
    {
        var result = MetaJudgeVerdictParser.Parse(new ModelCompletion(text));

        Assert.True(result.IsValid, result.Failure);
        Assert.Equal(expected, result.Winner);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Both judgments are equally good. It is a tie.")]
    [InlineData("Winner: Judgment C")]
    [InlineData("Winner: Judgment Alpha")]
    [InlineData("Winner: tie")]
    [InlineData("Judgment A")]
    public void Parse_NoVerdict_ReturnsInvalidWithReason(string? text)
    {
        var result = MetaJudgeVerdictParser.Parse(new ModelCompletion(text));

        Assert.False(result.IsValid);
        Assert.Equal(VerdictPosition.None, result.Winner);
        Assert.False(string.IsNullOrEmpty(result.Failure));
    }

    [Property(MaxTest = 500)]
    public bool Parse_AnyText_NeverThrows(string text)
    {
        var result = MetaJudgeVerdictParser.Parse(new ModelCompletion(text));
        return result.IsValid == (result.Winner != VerdictPosition.None);
    }

    [Property(MaxTest = 300)]
    public bool Parse_AnyPrefixThenVerdict_ReadsTheVerdict(string prefix, bool a)
    {
        var result = MetaJudgeVerdictParser.Parse(new ModelCompletion($"{prefix}\nWinner: Judgment {(a ? "A" : "B")}"));
        return result.Winner == (a ? VerdictPosition.A : VerdictPosition.B);
    }
}
