using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Scoring;
using MetaRewarding.Alignment.Templates;

namespace MetaRewarding.Alignment.Pairs;

/// <summary>Everything pair building needs besides the data: the iteration's settings and the run's seed, templates, length unit and malformed-line policy.</summary>
public sealed record IterationPairContext
{
    /// <summary>The run seed (tie-breaks derive from it, the iteration and the prompt id).</summary>
    public required long RunSeed { get; init; }

    /// <summary>The iteration number, 1-based.</summary>
    public required int Iteration { get; init; }

    /// <summary>The iteration's settings.</summary>
    public required IterationSettings Settings { get; init; }

    /// <summary>The templates (the judge template renders the prompt of judge pairs).</summary>
    public PromptTemplates Templates { get; init; } = PromptTemplates.Default;

    /// <summary>How lengths are measured.</summary>
    public LengthMeasure Length { get; init; } = LengthMeasures.Characters;

    /// <summary>What to do with malformed JSONL lines.</summary>
    public MalformedLinePolicy MalformedLines { get; init; } = MalformedLinePolicy.SkipAndCount;

    /// <summary>The context for iteration <paramref name="iteration"/> (1-based) of <paramref name="configuration"/>.</summary>
    public static IterationPairContext For(RunConfiguration configuration, int iteration, PromptTemplates? templates = null, LengthMeasure? tokenCounter = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentOutOfRangeException.ThrowIfLessThan(iteration, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iteration, configuration.Iterations.Count);
        return new IterationPairContext
        {
            RunSeed = configuration.Seed,
            Iteration = iteration,
            Settings = configuration.Iterations[iteration - 1],
            Templates = templates ?? PromptTemplates.Default,
            Length = LengthMeasures.For(configuration.LengthUnit, tokenCounter),
            MalformedLines = configuration.MalformedLines,
        };
    }
}
