using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Tests;

public class SandboxSettingsTests
{
    [Theory]
    [InlineData(TaskFamily.Constraint)]
    [InlineData(TaskFamily.Reverse)]
    [InlineData(TaskFamily.Sort)]
    public void Validate_FamilyDefaults_AreValid(TaskFamily family)
    {
        Assert.Empty(SandboxSettings.For(family).Validate());
    }

    [Fact]
    public void Validate_Defaults_AreSandboxMdsRecipe()
    {
        var settings = new SandboxSettings();
        Assert.Equal((TaskFamily.Constraint, 3, 6), (settings.Family, settings.MinLength, settings.MaxLength));
        Assert.Equal((0.30, 0.15, 0.15), (settings.ActorContentErrorRate, settings.ActorFormatErrorRate, settings.JudgeMarkFlipRate));
        Assert.Equal((0.35, 0.40, 0.25), (settings.ActorShare, settings.JudgeShare, settings.MetaJudgeShare));
    }

    [Fact]
    public void Validate_ManyProblems_ListsEachWithFieldRangeAndValue()
    {
        var errors = new SandboxSettings
        {
            MaxLength = 9,
            IterationFraction = 0.5,
            TrainFraction = 0.5,
            JudgeMarkFlipRate = 0.5,
            BiasedJudgmentRate = double.NaN,
            NearMissShare = 1.5,
            ActorShare = 0.5,
        }.Validate();

        Assert.Equal(
        [
            "sandbox.maxLength must be in [minLength = 3, 7] (longer tasks overflow the 160-symbol context), got 9",
            "sandbox.trainFraction + sandbox.iterationFraction must be <= 0.95 so the evaluation split keeps >= 5% of tasks, got 1",
            "sandbox.judgeMarkFlipRate must be in [0, 0.5) (at 0.5 the labels carry no signal), got 0.5",
            "sandbox.biasedJudgmentRate must be in [0, 0.5], got NaN",
            "sandbox.nearMissShare must be in [0, 1], got 1.5",
            "sandbox.actorShare + judgeShare + metaJudgeShare must be 1, got 1.15",
        ],
            errors);
    }

    [Fact]
    public void ThrowIfInvalid_InvalidSettings_ThrowsConfigurationException()
    {
        var error = Assert.Throws<ConfigurationException>(() => new SandboxSettings { MinLength = 0, Family = TaskFamily.Sort }.ThrowIfInvalid());
        Assert.Equal(["sandbox.minLength must be in [1, 7] for Sort tasks, got 0"], error.Errors);
    }
}
