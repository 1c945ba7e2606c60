using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Alignment.Tests.Configuration;

public class RunConfigurationValidatorTests
{
    public static TheoryData<Func<RunConfiguration, RunConfiguration>, string> EachRule => new()
    {
        { c => c with { ShardSize = 0 }, "shardSize must be >= 1, got 0" },
        { c => c with { LengthUnit = (LengthUnit)9 }, "lengthUnit must be one of Characters, Tokens, got 9" },
        { c => c with { MalformedLines = (MalformedLinePolicy)9 }, "malformedLines must be one of SkipAndCount, Fatal, got 9" },
        { c => c with { SeedSft = new SeedSftSettings() }, "seedSft.dataset must name a JSONL file of {\"prompt\", \"completion\"} demonstrations, got an empty string; remove seedSft to skip the seed SFT" },
        { c => c with { SeedSft = new SeedSftSettings { Dataset = "d", Epochs = 0 } }, "seedSft.epochs must be >= 1, got 0" },
        { c => c with { SeedSft = new SeedSftSettings { Dataset = "d", LearningRate = 0 } }, "seedSft.learningRate must be in (0, 1], got 0" },
        { c => c with { SeedSft = new SeedSftSettings { Dataset = "d", GlobalBatchSize = 0 } }, "seedSft.globalBatchSize must be >= 1, got 0" },
        { c => c with { SeedSft = new SeedSftSettings { Dataset = "d", WarmupRatio = 1 } }, "seedSft.warmupRatio must be in [0, 1), got 1" },
        { c => c with { SeedSft = new SeedSftSettings { Dataset = "d", MaxGradNorm = -1 } }, "seedSft.maxGradNorm must be a finite number > 0, got -1" },
        { c => c with { Templates = null! }, "templates must not be null; leave the field out to use its default" },
        { c => c with { Iterations = null! }, "iterations must not be null; leave the field out to use its default" },
        { c => c with { Iterations = [] }, "iterations must list between 1 and 100 iterations, got 0" },
        { c => c with { Iterations = [.. Enumerable.Repeat(new IterationSettings(), 101)] }, "iterations must list between 1 and 100 iterations, got 101" },
        { c => c with { Iterations = [c.Iterations[0], null!] }, "iterations[1] must not be null; leave the field out to use its default" },
        { c => At(c, 2, i => i with { Prompts = 0 }), "iterations[2].prompts must be >= 1, got 0" },
        { c => At(c, 2, i => i with { ResponsesPerPrompt = 1 }), "iterations[2].responsesPerPrompt must be >= 2 (a pair needs two responses), got 1" },
        { c => At(c, 0, i => i with { JudgmentsPerResponse = 1 }), "iterations[0].judgmentsPerResponse must be >= 2 (a meta-judge battle needs two judgments when trainsJudge is true), got 1" },
        { c => At(c, 3, i => i with { JudgmentsPerResponse = 0 }), "iterations[3].judgmentsPerResponse must be >= 1, got 0" },
        { c => At(c, 1, i => i with { ActorSampling = i.ActorSampling with { Temperature = 2.5 } }), "iterations[1].actorSampling.temperature must be in [0, 2], got 2.5" },
        { c => At(c, 1, i => i with { JudgeSampling = i.JudgeSampling with { TopP = 0 } }), "iterations[1].judgeSampling.topP must be in (0, 1], got 0" },
        { c => At(c, 1, i => i with { MetaJudgeSampling = i.MetaJudgeSampling with { MaxNewTokens = 0 } }), "iterations[1].metaJudgeSampling.maxNewTokens must be >= 1, got 0" },
        { c => At(c, 1, i => i with { ActorSampling = null! }), "iterations[1].actorSampling must not be null; leave the field out to use its default" },
        { c => At(c, 2, i => i with { ActorPairs = i.ActorPairs with { Rho = 1.3 } }), "iterations[2].actorPairs.rho must be in [0, 0.5], got 1.3" },
        { c => At(c, 0, i => i with { ActorPairs = i.ActorPairs with { Rho = -0.1 } }), "iterations[0].actorPairs.rho must be in [0, 0.5], got -0.1" },
        { c => At(c, 0, i => i with { ActorPairs = i.ActorPairs with { Rho = double.NaN } }), "iterations[0].actorPairs.rho must be in [0, 0.5], got NaN" },
        { c => At(c, 0, i => i with { ActorPairs = i.ActorPairs with { ChosenMaxLength = 0 } }), "iterations[0].actorPairs.chosenMaxLength must be >= 1 (null means no cap), got 0" },
        { c => At(c, 0, i => i with { ActorPairs = i.ActorPairs with { MinScoreGap = 6 } }), "iterations[0].actorPairs.minScoreGap must be in [0, 5], got 6" },
        { c => At(c, 0, i => i with { ActorPairs = null! }), "iterations[0].actorPairs must not be null; leave the field out to use its default" },
        { c => At(c, 1, i => i with { JudgePairs = i.JudgePairs with { ChosenMaxLength = -5 } }), "iterations[1].judgePairs.chosenMaxLength must be >= 1 (null means no cap), got -5" },
        { c => At(c, 1, i => i with { JudgePairs = i.JudgePairs with { EloL2Penalty = 0 } }), "iterations[1].judgePairs.eloL2Penalty must be in (0, 1], got 0" },
        { c => At(c, 1, i => i with { JudgePairs = i.JudgePairs with { MaxShare = 0 } }), "iterations[1].judgePairs.maxShare must be in (0, 1], got 0" },
        { c => At(c, 1, i => i with { JudgePairs = i.JudgePairs with { MaxShare = 1.5 } }), "iterations[1].judgePairs.maxShare must be in (0, 1], got 1.5" },
        { c => At(c, 0, i => i with { JudgePairs = i.JudgePairs with { MaxShare = double.NaN } }), "iterations[0].judgePairs.maxShare must be in (0, 1], got NaN" },
        { c => At(c, 0, i => i with { JudgePairs = i.JudgePairs with { MaxScoreClassShare = 0 } }), "iterations[0].judgePairs.maxScoreClassShare must be in (0, 1], got 0" },
        { c => At(c, 0, i => i with { JudgePairs = i.JudgePairs with { MaxScoreClassShare = -0.4 } }), "iterations[0].judgePairs.maxScoreClassShare must be in (0, 1], got -0.4" },
        { c => At(c, 1, i => i with { JudgePairs = null! }), "iterations[1].judgePairs must not be null; leave the field out to use its default" },
        { c => At(c, 3, i => i with { Dpo = i.Dpo with { Beta = 0 } }), "iterations[3].dpo.beta must be a finite number > 0, got 0" },
        { c => At(c, 3, i => i with { Dpo = i.Dpo with { Beta = double.PositiveInfinity } }), "iterations[3].dpo.beta must be a finite number > 0, got Infinity" },
        { c => At(c, 3, i => i with { Dpo = i.Dpo with { LearningRate = 1.5 } }), "iterations[3].dpo.learningRate must be in (0, 1], got 1.5" },
        { c => At(c, 3, i => i with { Dpo = i.Dpo with { LearningRateSchedule = (LearningRateSchedule)7 } }), "iterations[3].dpo.learningRateSchedule must be one of cosine, constant (the trainer implements no other), got 7" },
        { c => At(c, 3, i => i with { Dpo = i.Dpo with { LearningRateSchedule = LearningRateSchedule.Linear } }), "iterations[3].dpo.learningRateSchedule must be one of cosine, constant (the trainer implements no other), got linear" },
        { c => At(c, 3, i => i with { Dpo = i.Dpo with { GlobalBatchSize = 0 } }), "iterations[3].dpo.globalBatchSize must be >= 1, got 0" },
        { c => At(c, 3, i => i with { Dpo = i.Dpo with { Epochs = 0 } }), "iterations[3].dpo.epochs must be >= 1, got 0" },
        { c => At(c, 3, i => i with { Dpo = i.Dpo with { WarmupRatio = 1 } }), "iterations[3].dpo.warmupRatio must be in [0, 1), got 1" },
        { c => At(c, 3, i => i with { Dpo = i.Dpo with { MaxGradNorm = 0 } }), "iterations[3].dpo.maxGradNorm must be a finite number > 0, got 0" },
        { c => At(c, 3, i => i with { Dpo = i.Dpo with { RpoAlpha = -1 } }), "iterations[3].dpo.rpoAlpha must be in [0, 100], got -1" },
        { c => At(c, 3, i => i with { Dpo = null! }), "iterations[3].dpo must not be null; leave the field out to use its default" },
    };

    [Theory]
    [MemberData(nameof(EachRule))]
    public void Validate_OneBadField_ReportsExactlyThatMessage(Func<RunConfiguration, RunConfiguration> breakIt, string expected)
    {
        var errors = RunConfigurationValidator.Validate(breakIt(RunConfiguration.Paper));

        Assert.Equal(expected, Assert.Single(errors));
    }

    [Fact]
    public void Validate_SeveralBadFields_ReportsAllOfThem()
    {
        var broken = At(At(RunConfiguration.Paper, 0, i => i with { ActorPairs = i.ActorPairs with { Rho = 2 } }), 3, i => i with { ResponsesPerPrompt = 0 }) with { ShardSize = -1 };

        var errors = RunConfigurationValidator.Validate(broken);

        Assert.Equal(3, errors.Count);
        var thrown = Assert.Throws<ConfigurationException>(() => RunConfigurationValidator.ThrowIfInvalid(broken));
        Assert.Equal(errors, thrown.Errors);
        Assert.Contains("(3 errors)", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ZeroBoundaries_AreAccepted()
    {
        var edge = At(RunConfiguration.Paper, 0, i => i with
        {
            ActorPairs = i.ActorPairs with { Rho = 0.5, MinScoreGap = 5, ChosenMaxLength = 1 },
            ActorSampling = i.ActorSampling with { Temperature = 0, TopP = 1 },
            Dpo = i.Dpo with { WarmupRatio = 0, RpoAlpha = 0, MaxGradNorm = null },
        });

        Assert.Empty(RunConfigurationValidator.Validate(edge));
    }

    [Fact]
    public void Validate_TemplateFiles_AreCheckedRelativeToTheBaseDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("validate-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "judge.txt"), "Grade: {prompt}");
            var configuration = RunConfiguration.Paper with { Templates = new TemplateFiles { Judge = "judge.txt", Actor = "" } };

            var withoutFiles = RunConfigurationValidator.Validate(configuration);
            var withFiles = RunConfigurationValidator.Validate(configuration, directory.FullName);

            Assert.Empty(withoutFiles);
            Assert.Equal(2, withFiles.Count);
            Assert.Equal("templates.actor must be a file path or null (to use the built-in template), got an empty string", withFiles[0]);
            Assert.StartsWith("templates.judge: required placeholder {response} is missing from the judge template (file '", withFiles[1], StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static RunConfiguration At(RunConfiguration configuration, int index, Func<IterationSettings, IterationSettings> change)
    {
        var iterations = configuration.Iterations.ToArray();
        iterations[index] = change(iterations[index]);
        return configuration with { Iterations = iterations };
    }
}
