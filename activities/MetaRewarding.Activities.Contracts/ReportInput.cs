namespace MetaRewarding.Activities.Contracts;

/// <summary>Writes <c>runs/{id}/report.json</c> (and plots) from the seed evaluation and the iterations so far.</summary>
public sealed record ReportInput(string RunId, ArtifactRef Run, EvaluationOutput SeedEvaluation, IReadOnlyList<IterationSummary> Iterations);
