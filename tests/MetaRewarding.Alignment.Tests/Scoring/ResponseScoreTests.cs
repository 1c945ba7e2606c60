using System.Text;
using FsCheck.Xunit;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Scoring;

namespace MetaRewarding.Alignment.Tests.Scoring;

public class ResponseScoreTests
{
    [Fact]
    public void FromScores_MixedValidAndInvalid_UsesOnlyValidScores()
    {
        // Valid 2, 4, 4, 5 (mean 3.75; deviations −1.75, .25, .25, 1.25; population variance 4.75/4), one invalid.
        var score = ResponseScore.FromScores([2, 4, double.NaN, 4, 5]);

        Assert.Equal(3.75, score.Mean, 12);
        Assert.Equal(4.75 / 4, score.Variance, 12);
        Assert.Equal(4, score.ValidCount);
        Assert.Equal(1, score.InvalidCount);
        Assert.True(score.HasScore);
    }

    [Fact]
    public void FromScores_NoValidScore_IsNaNWithoutScore()
    {
        var score = ResponseScore.FromScores([double.NaN, double.NaN]);

        Assert.False(score.HasScore);
        Assert.True(double.IsNaN(score.Mean));
        Assert.True(double.IsNaN(score.Variance));
        Assert.Equal(2, score.InvalidCount);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("hello", 5)]
    [InlineData("héllo wörld", 11)]
    [InlineData("emoji 😀!", 8)]
    public void Characters_Text_CountsUnicodeScalarValues(string text, int expected)
    {
        Assert.Equal(expected, LengthMeasures.Characters(text));
    }

    [Fact]
    public void Characters_LoneSurrogate_CountsOnce()
    {
        // Built in code: test runners may re-encode attribute strings and mangle a lone surrogate.
        Assert.Equal(6, LengthMeasures.Characters(new string('\uD800', 1) + " lone"));
    }

    [Property(MaxTest = 300)]
    public bool Characters_AnyText_EqualsRuneCountOfValidText(string text)
    {
        text ??= "";
        // Lone surrogates count as one character each, as Rune enumeration does with its replacement character.
        return LengthMeasures.Characters(text) == text.EnumerateRunes().Count();
    }

    [Fact]
    public void For_TokensWithoutCounter_ThrowsWithTheFix()
    {
        var error = Assert.Throws<ArgumentException>(() => LengthMeasures.For(LengthUnit.Tokens));

        Assert.Contains("token counter", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, LengthMeasures.For(LengthUnit.Tokens, t => Encoding.UTF8.GetByteCount(t))("abc"));
    }
}
