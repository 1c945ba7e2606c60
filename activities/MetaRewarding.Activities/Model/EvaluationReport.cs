using MetaRewarding.Activities.Contracts;
using MetaRewarding.Sandbox.Evaluation;

namespace MetaRewarding.Activities.Model;

/// <summary>The content of <c>evaluation/{label}.json</c>: the figures, and the details behind them where the source has them.</summary>
public sealed record EvaluationReport
{
    public string Label { get; init; } = "";

    public ArtifactRef Model { get; init; } = new("", "", 0);

    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    public ActorMetrics? Actor { get; init; }

    /// <summary>The greedy judge on the fixed labelled set.</summary>
    public JudgeAgreementMetrics? Judge { get; init; }

    /// <summary>Per criterion, the greedy judge on the fixed labelled set.</summary>
    public IReadOnlyList<CriterionCatchRate>? CatchRates { get; init; }

    /// <summary>Per criterion, the greedy judge on the actor's own sampled answers.</summary>
    public IReadOnlyList<CriterionCatchRate>? OwnSampleCatchRates { get; init; }

    /// <summary>The greedy meta-judge on pairs of its own sampled judgments that disagree, in both orders.</summary>
    public MetaJudgeMetrics? MetaJudge { get; init; }

    public int? HeldOutPrompts { get; init; }
}
