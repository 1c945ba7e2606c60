using MetaRewarding.Alignment.Templates;

namespace MetaRewarding.Alignment.Configuration;

/// <summary>
/// Checks a whole <see cref="RunConfiguration"/> before anything runs and reports ALL problems at once, each
/// naming the field path (0-based JSON array indices), the value and the allowed range.
/// </summary>
public static class RunConfigurationValidator
{
    /// <summary>Upper bound on the iteration count: a guard against a typo such as 400 for 4. [choice]</summary>
    public const int MaxIterations = 100;

    /// <summary>
    /// Every problem in <paramref name="configuration"/>; empty when it is valid. When
    /// <paramref name="baseDirectory"/> is given, template files are read (relative to it) and checked for
    /// their required placeholders; without it only the configuration values are checked.
    /// </summary>
    public static IReadOnlyList<string> Validate(RunConfiguration configuration, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new ValidationErrors();
        errors.AtLeast("shardSize", configuration.ShardSize, 1);
        errors.Defined("lengthUnit", configuration.LengthUnit);
        errors.Defined("malformedLines", configuration.MalformedLines);
        if (configuration.SeedSft is { } sft)
        {
            ValidateSeedSft(errors, sft);
        }

        if (errors.NotNull("templates", configuration.Templates) && baseDirectory is not null)
        {
            var templateErrors = new List<string>();
            PromptTemplates.TryLoad(configuration.Templates, baseDirectory, templateErrors);
            templateErrors.ForEach(errors.Add);
        }

        if (errors.NotNull("iterations", configuration.Iterations))
        {
            var count = configuration.Iterations.Count;
            if (count is < 1 or > MaxIterations)
            {
                errors.Add($"iterations must list between 1 and {MaxIterations} iterations, got {count}");
            }

            for (var i = 0; i < count; i++)
            {
                var path = $"iterations[{i}]";
                if (errors.NotNull(path, configuration.Iterations[i]))
                {
                    ValidateIteration(errors, path, configuration.Iterations[i]);
                }
            }
        }

        return errors.Items;
    }

    /// <summary>Throws a <see cref="ConfigurationException"/> listing every problem, if there is any.</summary>
    public static void ThrowIfInvalid(RunConfiguration configuration, string? baseDirectory = null)
    {
        var errors = Validate(configuration, baseDirectory);
        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }
    }

    private static void ValidateIteration(ValidationErrors errors, string path, IterationSettings iteration)
    {
        errors.AtLeast($"{path}.prompts", iteration.Prompts, 1);
        errors.AtLeast($"{path}.responsesPerPrompt", iteration.ResponsesPerPrompt, 2, "a pair needs two responses");
        errors.AtLeast(
            $"{path}.judgmentsPerResponse",
            iteration.JudgmentsPerResponse,
            iteration.TrainsJudge ? 2 : 1,
            iteration.TrainsJudge ? "a meta-judge battle needs two judgments when trainsJudge is true" : null);
        ValidateSampling(errors, $"{path}.actorSampling", iteration.ActorSampling);
        ValidateSampling(errors, $"{path}.judgeSampling", iteration.JudgeSampling);
        ValidateSampling(errors, $"{path}.metaJudgeSampling", iteration.MetaJudgeSampling);
        if (errors.NotNull($"{path}.actorPairs", iteration.ActorPairs))
        {
            var actor = iteration.ActorPairs;
            errors.InRange($"{path}.actorPairs.rho", actor.Rho, 0, 0.5);
            ValidateCap(errors, $"{path}.actorPairs.chosenMaxLength", actor.ChosenMaxLength);
            errors.InRange($"{path}.actorPairs.minScoreGap", actor.MinScoreGap, 0, 5);
        }

        if (errors.NotNull($"{path}.judgePairs", iteration.JudgePairs))
        {
            var judge = iteration.JudgePairs;
            ValidateCap(errors, $"{path}.judgePairs.chosenMaxLength", judge.ChosenMaxLength);
            errors.InRange($"{path}.judgePairs.eloL2Penalty", judge.EloL2Penalty, 0, 1, lowerOpen: true);
            if (judge.MaxShare is { } share)
            {
                errors.InRange($"{path}.judgePairs.maxShare", share, 0, 1, lowerOpen: true);
            }

            if (judge.MaxScoreClassShare is { } classShare)
            {
                errors.InRange($"{path}.judgePairs.maxScoreClassShare", classShare, 0, 1, lowerOpen: true);
            }
        }

        if (errors.NotNull($"{path}.dpo", iteration.Dpo))
        {
            var dpo = iteration.Dpo;
            errors.PositiveFinite($"{path}.dpo.beta", dpo.Beta);
            errors.InRange($"{path}.dpo.learningRate", dpo.LearningRate, 0, 1, lowerOpen: true);
            errors.OneOf($"{path}.dpo.learningRateSchedule", dpo.LearningRateSchedule, DpoSettings.TrainedSchedules, "the trainer implements no other");
            errors.AtLeast($"{path}.dpo.globalBatchSize", dpo.GlobalBatchSize, 1);
            errors.AtLeast($"{path}.dpo.epochs", dpo.Epochs, 1);
            errors.InRange($"{path}.dpo.warmupRatio", dpo.WarmupRatio, 0, 1, upperOpen: true);
            if (dpo.MaxGradNorm is { } clip)
            {
                errors.PositiveFinite($"{path}.dpo.maxGradNorm", clip);
            }

            if (dpo.RpoAlpha is { } alpha)
            {
                errors.InRange($"{path}.dpo.rpoAlpha", alpha, 0, 100);
            }
        }
    }

    private static void ValidateSampling(ValidationErrors errors, string path, SamplingSettings? sampling)
    {
        if (errors.NotNull(path, sampling))
        {
            errors.InRange($"{path}.temperature", sampling!.Temperature, 0, 2);
            errors.InRange($"{path}.topP", sampling.TopP, 0, 1, lowerOpen: true);
            errors.AtLeast($"{path}.maxNewTokens", sampling.MaxNewTokens, 1);
        }
    }

    private static void ValidateCap(ValidationErrors errors, string path, int? cap)
    {
        if (cap is { } value)
        {
            errors.AtLeast(path, value, 1, "null means no cap");
        }
    }

    private static void ValidateSeedSft(ValidationErrors errors, SeedSftSettings sft)
    {
        if (string.IsNullOrWhiteSpace(sft.Dataset))
        {
            errors.Add("seedSft.dataset must name a JSONL file of {\"prompt\", \"completion\"} demonstrations, got an empty string; remove seedSft to skip the seed SFT");
        }

        errors.AtLeast("seedSft.epochs", sft.Epochs, 1);
        errors.InRange("seedSft.learningRate", sft.LearningRate, 0, 1, lowerOpen: true);
        errors.AtLeast("seedSft.globalBatchSize", sft.GlobalBatchSize, 1);
        errors.InRange("seedSft.warmupRatio", sft.WarmupRatio, 0, 1, upperOpen: true);
        if (sft.MaxGradNorm is { } clip)
        {
            errors.PositiveFinite("seedSft.maxGradNorm", clip);
        }
    }
}
