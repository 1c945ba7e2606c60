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
    [InlineData("Winner: [Judgement A]", VerdictPosition.A)]
    [InlineData("Winner: [Judgment B]", VerdictPosition.B)]
    [InlineData("Winner: **Judgment A**", VerdictPosition.A)]
    [InlineData("**Winner:** Judgment B", VerdictPosition.B)]
    [InlineData("**Winner**: *Judgement A*", VerdictPosition.A)]
    [InlineData("Winner: Judgment **B**", VerdictPosition.B)]
    [InlineData("Winner: Judgment \"A\"", VerdictPosition.A)]
    [InlineData("Winner: \"Judgment B\".", VerdictPosition.B)]
    [InlineData("Winner: `Judgment A`", VerdictPosition.A)]
    [InlineData("Winner: __Judgment B__", VerdictPosition.B)]
    [InlineData("Winner: Judgment [A]", VerdictPosition.A)]
    [InlineData("Winner: (Judgment B)", VerdictPosition.B)]
    [InlineData("Winner:\nJudgment A", VerdictPosition.A)]
    [InlineData("Winner: [Judgment A]\n...\n**Winner:** [Judgment B]", VerdictPosition.B)]
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
    [InlineData("Winner: [Judgment Alpha]")]
    [InlineData("Winner: Judgment A1")]
    [InlineData("Winner: {Judgment A}")]
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

    [Property(MaxTest = 1000)]
    public bool Parse_GeneratedWrapping_ReadsTheVerdict(string prefix, bool a, int wrapping, bool britishSpelling)
    {
        var value = $"{(britishSpelling ? "Judgement" : "Judgment")} {(a ? "A" : "B")}";
        var result = MetaJudgeVerdictParser.Parse(new ModelCompletion($"{prefix}\n{Wrappings.Write("Winner", value, wrapping)}"));
        return result.Winner == (a ? VerdictPosition.A : VerdictPosition.B);
    }

    [Property(MaxTest = 500)]
    public bool Parse_TwoGeneratedWrappings_ReadsTheLastVerdict(bool firstA, bool lastA, int firstWrapping, int lastWrapping)
    {
        var text = $"{Wrappings.Write("Winner", firstA ? "Judgment A" : "Judgment B", firstWrapping)}\nHowever,\n"
            + Wrappings.Write("Winner", lastA ? "Judgment A" : "Judgment B", lastWrapping);
        return MetaJudgeVerdictParser.Parse(new ModelCompletion(text)).Winner == (lastA ? VerdictPosition.A : VerdictPosition.B);
    }
}
