namespace MetaRewarding.Alignment.Configuration;

/// <summary>Settings of one iteration t (one row of the paper's schedule table, plus everything it leaves implicit).</summary>
public sealed record IterationSettings
{
    /// <summary>Whether this iteration builds judge pairs (meta-judge battles) in addition to actor pairs. Paper: iterations 1–2.</summary>
    public bool TrainsJudge { get; init; }

    /// <summary>Prompts taken from the pool (a disjoint slice per iteration). Paper: 5,000.</summary>
    public int Prompts { get; init; } = 5000;

    /// <summary>K, responses sampled per prompt. Paper: 7.</summary>
    public int ResponsesPerPrompt { get; init; } = 7;

    /// <summary>N, judgments sampled per response. Paper: 11 (so 110 meta-judge calls per prompt).</summary>
    public int JudgmentsPerResponse { get; init; } = 11;

    /// <summary>Actor sampling. Paper: temperature 0.8, top-p 0.95 [paper?].</summary>
    public SamplingSettings ActorSampling { get; init; } = new();

    /// <summary>Judge sampling: N judgments of one response must differ, so it samples like the actor. [choice]</summary>
    public SamplingSettings JudgeSampling { get; init; } = new() { MaxNewTokens = 512 };

    /// <summary>Meta-judge sampling. [choice]</summary>
    public SamplingSettings MetaJudgeSampling { get; init; } = new() { MaxNewTokens = 512 };

    /// <summary>Actor pairs: ρ, the chosen-response cap, the minimum score gap.</summary>
    public ActorPairSettings ActorPairs { get; init; } = new();

    /// <summary>Judge pairs: the chosen-judgment cap, verdict consistency, the Elo penalty. Used only when <see cref="TrainsJudge"/>.</summary>
    public JudgePairSettings JudgePairs { get; init; } = new();

    /// <summary>DPO hyper-parameters for training M_t into M_{t+1}.</summary>
    public DpoSettings Dpo { get; init; } = new();
}
