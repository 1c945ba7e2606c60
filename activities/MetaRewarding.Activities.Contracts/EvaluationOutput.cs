namespace MetaRewarding.Activities.Contracts;

/// <summary>
/// Named evaluation figures of one checkpoint (sandbox: actorAccuracy, actorSampledAccuracy, passAtK,
/// judgeAgreement, judgeWithinOne, judgeSpearman, judgeParseRate, metaJudge diagnostics...), and where the
/// detailed outputs were written.
/// </summary>
public sealed record EvaluationOutput(string Label, IReadOnlyDictionary<string, double> Metrics, ArtifactRef Details);
