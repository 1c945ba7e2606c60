namespace MetaRewarding.Alignment.Configuration;

/// <summary>
/// A whole Meta-Rewarding run: the schedule is data. <see cref="Paper"/> is the paper's table
/// (docs/ALGORITHM.md, "The schedule of the paper"); a JSON file may override any field (see
/// <see cref="RunConfigurationJson"/>). Check it with <see cref="RunConfigurationValidator"/> before anything runs.
/// </summary>
/// <remarks>
/// Index convention: error messages name list elements by their 0-based JSON array index
/// (<c>iterations[0]</c> is the first iteration); the schedule table and metrics number iterations
/// from 1 (iteration 1 is <c>iterations[0]</c>), as the paper does.
/// </remarks>
public sealed record RunConfiguration
{
    /// <summary>Run seed; every random choice (samples, tie-breaks) derives from it and the iteration/step/shard.</summary>
    public long Seed { get; init; } = 1234;

    /// <summary>Unit of every length: the ρ tiers' tie-breaks and the caps. Default: characters [choice].</summary>
    public LengthUnit LengthUnit { get; init; } = LengthUnit.Characters;

    /// <summary>Prompts per generation/judging shard: a lost worker loses at most one shard. [choice]</summary>
    public int ShardSize { get; init; } = 250;

    /// <summary>What dataset readers do with a JSONL line that does not parse. [choice]</summary>
    public MalformedLinePolicy MalformedLines { get; init; } = MalformedLinePolicy.SkipAndCount;

    /// <summary>Optional seed SFT ("SFT on EFT") before iteration 1; null: start from the given model.</summary>
    public SeedSftSettings? SeedSft { get; init; }

    /// <summary>Where samples are generated: the worker's engine, or an OpenAI-compatible server.</summary>
    public GenerationSettings Generation { get; init; } = new();

    /// <summary>Template files overriding the built-in actor/judge/meta-judge templates.</summary>
    public TemplateFiles Templates { get; init; } = new();

    /// <summary>The iterations, in order. Paper: 4.</summary>
    public IReadOnlyList<IterationSettings> Iterations { get; init; } = PaperIterations();

    /// <summary>The paper's configuration (all defaults).</summary>
    public static RunConfiguration Paper { get; } = new();

    /// <summary>The paper's schedule table: judge trained in 1–2; ρ 0, 0.32, 0.32, 0.4; caps in 1–2 [paper?].</summary>
    public static IReadOnlyList<IterationSettings> PaperIterations() =>
    [
        new IterationSettings
        {
            TrainsJudge = true,
            ActorPairs = new ActorPairSettings { Rho = 0.0, ChosenMaxLength = 2500 },
            JudgePairs = new JudgePairSettings { ChosenMaxLength = 1100 },
        },
        new IterationSettings
        {
            TrainsJudge = true,
            ActorPairs = new ActorPairSettings { Rho = 0.32 },
            JudgePairs = new JudgePairSettings { ChosenMaxLength = 1000 },
        },
        new IterationSettings { ActorPairs = new ActorPairSettings { Rho = 0.32 } },
        new IterationSettings { ActorPairs = new ActorPairSettings { Rho = 0.4 } },
    ];
}
