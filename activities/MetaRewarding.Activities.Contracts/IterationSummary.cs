using MetaRewarding.Alignment.Metrics;

namespace MetaRewarding.Activities.Contracts;

/// <summary>What one iteration produced: M_{t+1}, its data metrics, its training and its evaluation.</summary>
public sealed record IterationSummary(
    int Iteration,
    bool TrainedJudge,
    ArtifactRef Model,
    IterationMetrics Data,
    TrainingOutput Training,
    EvaluationOutput Evaluation);
