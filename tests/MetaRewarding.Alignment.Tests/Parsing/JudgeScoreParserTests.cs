using System.Globalization;
using FsCheck.Xunit;
using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Alignment.Tests.Parsing;

public class JudgeScoreParserTests
{
    [Theory]
    [InlineData("The response is relevant.\nScore: 4", 4.0)]
    [InlineData("score:3", 3.0)]
    [InlineData("SCORE:   2.5 points", 2.5)]
    [InlineData("Score: 0", 0.0)]
    [InlineData("Score: 5.0", 5.0)]
    [InlineData("First I thought Score: 2, but on reflection\nScore: 5", 5.0)]
    [InlineData("Score: 4.", 4.0)]
    [InlineData("**Score: 3**", 3.0)]
    [InlineData("Score: **4**", 4.0)]
    [InlineData("Score: *4*", 4.0)]
    [InlineData("Score: [4]", 4.0)]
    [InlineData("Score: (4)", 4.0)]
    [InlineData("Score: <4>", 4.0)] // the template's own "Score: <points>", filled in literally
    [InlineData("Score: `4`", 4.0)]
    [InlineData("Score: \"4\"", 4.0)]
    [InlineData("**Score:** 4", 4.0)]
    [InlineData("**Score**: 4", 4.0)]
    [InlineData("__Score__: __4__", 4.0)]
    [InlineData("### Score: 4", 4.0)]
    [InlineData("Score : 4", 4.0)]
    [InlineData("Score:\n4", 4.0)]
    [InlineData("\"score\": 2", 2.0)]
    [InlineData("Score: 4/5", 4.0)]
    [InlineData("Score: **4/5**", 4.0)]
    [InlineData("Score: 4 / 5", 4.0)]
    [InlineData("Score: 3.5 out of 5", 3.5)]
    [InlineData("Score: [5] points out of 5", 5.0)]
    [InlineData("I would give Score: [2], then...\n**Score:** **4**", 4.0)]
    public void Parse_ValidJudgment_ReturnsLastScore(string text, double expected)
    {
        var result = JudgeScoreParser.Parse(new ModelCompletion(text));

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal(expected, result.Score);
    }

    [Theory]
    [InlineData(null, ScoreParseFailure.Empty)]
    [InlineData("", ScoreParseFailure.Empty)]
    [InlineData("   \n", ScoreParseFailure.Empty)]
    [InlineData("A fine answer, I would give it four points.", ScoreParseFailure.NoScore)]
    [InlineData("Score: five", ScoreParseFailure.NoScore)]
    [InlineData("Score: -1", ScoreParseFailure.NoScore)]
    [InlineData("Score: 6", ScoreParseFailure.OutOfRange)]
    [InlineData("Score: 5.5", ScoreParseFailure.OutOfRange)]
    [InlineData("Score: 10", ScoreParseFailure.OutOfRange)] // the literal paper regex would read 1 here
    [InlineData("Score: 3\nScore: 45", ScoreParseFailure.OutOfRange)] // the LAST score decides, even when invalid
    [InlineData("Score: 8/10", ScoreParseFailure.OutOfRange)] // another scale: not read as 8, nor as 0.8
    [InlineData("Score: **4/10**", ScoreParseFailure.OutOfRange)]
    [InlineData("Score: 4 out of 4", ScoreParseFailure.OutOfRange)]
    [InlineData("Score: ********************4", ScoreParseFailure.NoScore)] // wrapping runs are bounded
    [InlineData("Score: {4}", ScoreParseFailure.NoScore)]
    public void Parse_InvalidJudgment_ReturnsReason(string? text, ScoreParseFailure expected)
    {
        var result = JudgeScoreParser.Parse(new ModelCompletion(text));

        Assert.False(result.IsValid);
        Assert.Equal(expected, result.Failure);
        Assert.False(string.IsNullOrEmpty(result.Detail));
        Assert.True(double.IsNaN(result.Score));
    }

    [Fact]
    public void Parse_DefaultCompletion_IsEmptyNotAnException()
    {
        Assert.Equal(ScoreParseFailure.Empty, JudgeScoreParser.Parse(default).Failure);
    }

    [Fact]
    public void Parse_HugeText_FindsTheFinalScore()
    {
        var text = string.Concat(Enumerable.Repeat("Score: 1 blah blah. ", 200_000)) + "Score: 4";

        Assert.Equal(4.0, JudgeScoreParser.Parse(new ModelCompletion(text)).Score);
    }

    [Property(MaxTest = 500)]
    public bool Parse_AnyText_NeverThrows(string text)
    {
        var result = JudgeScoreParser.Parse(new ModelCompletion(text));
        return result.IsValid ? result.Score is >= 0 and <= 5 : double.IsNaN(result.Score);
    }

    [Property(MaxTest = 500)]
    public bool Parse_TextWithArbitraryPrefix_ReadsTheAppendedScore(string prefix, byte tenths)
    {
        // Scores 0.0 .. 25.5 in tenths: exactly those in [0, 5] must be accepted, with their value.
        var score = tenths / 10.0;
        var text = $"{prefix}\nScore: {score.ToString("0.0", CultureInfo.InvariantCulture)}";
        var result = JudgeScoreParser.Parse(new ModelCompletion(text));
        return score <= 5
            ? result.IsValid && Math.Abs(result.Score - score) < 1e-12
            : !result.IsValid && result.Failure == ScoreParseFailure.OutOfRange;
    }

    [Property(MaxTest = 300)]
    public bool Parse_UnicodeNoise_NeverThrows(int seed)
    {
        var random = new Random(seed);
        var chars = new char[random.Next(0, 400)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)random.Next(0, 0x10000); // includes lone surrogates and control characters
        }

        var text = new string(chars) + (random.Next(2) == 0 ? "Score: 3" : "");
        var result = JudgeScoreParser.Parse(new ModelCompletion(text));
        return !result.IsValid || result.Score is >= 0 and <= 5;
    }

    [Property(MaxTest = 1000)]
    public bool Parse_GeneratedWrapping_ReadsTheScore(string prefix, byte tenths, int wrapping, byte scale)
    {
        // Scores 0.0 .. 5.0 in tenths, decorated one of the ways chat models write them, optionally with "/5" or
        // "out of 5", after arbitrary text: the value must come back exactly.
        var score = (tenths % 51) / 10.0;
        var value = score.ToString("0.0", CultureInfo.InvariantCulture) + (scale % 3) switch { 0 => "", 1 => "/5", _ => " out of 5" };
        var result = JudgeScoreParser.Parse(new ModelCompletion($"{prefix}\n{Wrappings.Write("Score", value, wrapping)}"));
        return result.IsValid && Math.Abs(result.Score - score) < 1e-12;
    }

    [Property(MaxTest = 500)]
    public bool Parse_TwoGeneratedWrappings_ReadsTheLastScore(byte first, byte last, int firstWrapping, int lastWrapping)
    {
        var text = $"{Wrappings.Write("Score", (first % 6).ToString(CultureInfo.InvariantCulture), firstWrapping)}\nOn reflection:\n"
            + Wrappings.Write("Score", (last % 6).ToString(CultureInfo.InvariantCulture), lastWrapping);
        var result = JudgeScoreParser.Parse(new ModelCompletion(text));
        return result.IsValid && result.Score == last % 6;
    }

    [Theory]
    [InlineData("Clear and correct.\nScore: 4", "Clear and correct.")]
    [InlineData("I first thought Score: [2] but\n**Score:** **4/5**\nThanks", "I first thought  but\n\nThanks")]
    [InlineData("No score at all.", "No score at all.")]
    [InlineData(null, "")]
    public void WithoutScores_RemovesEveryScoreTheParserWouldRead(string? text, string expected)
    {
        var stripped = JudgeScoreParser.WithoutScores(new ModelCompletion(text));

        Assert.Equal(expected, stripped);
        Assert.False(JudgeScoreParser.Parse(new ModelCompletion(stripped)).IsValid);
    }
}
