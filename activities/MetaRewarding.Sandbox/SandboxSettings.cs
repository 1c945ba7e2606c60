using System.Globalization;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox;

/// <summary>
/// Everything that shapes the sandbox's data. Defaults are docs/SANDBOX.md's recipe:
/// constraint tasks of length 3–6, actor demonstrations with 30% content and 15% format errors, judge marks
/// flipped with p = 0.15, meta-judge demonstrations with 30%/30% lenient/strict judgments, SFT mix
/// 0.35/0.40/0.25. Check with <see cref="Validate"/> (every problem, as <c>sandbox.field must be …, got …</c>)
/// or <see cref="ThrowIfInvalid"/>.
/// </summary>
public sealed record SandboxSettings
{
    /// <summary>Longest task length allowed: keeps every sequence inside <see cref="SandboxLimits.ContextWindow"/>.</summary>
    public const int MaxTaskLength = 7;

    /// <summary>Edges of a route task's graph over a–h, unless set.</summary>
    public const int DefaultGraphEdges = 8;

    /// <summary>Which task family the prompts come from.</summary>
    public TaskFamily Family { get; init; } = TaskFamily.Constraint;

    /// <summary>Shortest task (answer length for constraint tasks, input length for reverse/sort). Constraint: ≥ 2 (X and Y); others: ≥ 1.</summary>
    public int MinLength { get; init; } = 3;

    /// <summary>Longest task, ≤ <see cref="MaxTaskLength"/>.</summary>
    public int MaxLength { get; init; } = 6;

    /// <summary>Route tasks: edges of each graph over a–h, in [7, 12] (fewer leave most node pairs unconnected; more overflow the context).</summary>
    public int GraphEdges { get; init; } = DefaultGraphEdges;

    /// <summary>Seed of the task-to-split assignment; keep it fixed across a run so splits stay disjoint.</summary>
    public long SplitSeed { get; init; } = 20240726;

    /// <summary>Seed of the SFT demonstrations and of the labelled judge sets.</summary>
    public long DataSeed { get; init; } = 1;

    /// <summary>Share of tasks in the train split, in [0.05, 0.9].</summary>
    public double TrainFraction { get; init; } = 0.5;

    /// <summary>Share of tasks in the iteration-prompt split, in [0.05, 0.9]; evaluation gets the rest (≥ 0.05).</summary>
    public double IterationFraction { get; init; } = 0.25;

    /// <summary>Share of actor demonstrations with 1 (70%) or 2 (30%) content errors, in [0, 1].</summary>
    public double ActorContentErrorRate { get; init; } = 0.30;

    /// <summary>Share of actor demonstrations with a format error (no <c>A: </c>, or a suffix), in [0, 1].</summary>
    public double ActorFormatErrorRate { get; init; } = 0.15;

    /// <summary>Probability each judge-demonstration mark is flipped, in [0, 0.5).</summary>
    public double JudgeMarkFlipRate { get; init; } = 0.15;

    /// <summary>Probability a meta-judge demonstration's judgment is systematically lenient (and, separately, strict), in [0, 0.5].</summary>
    public double BiasedJudgmentRate { get; init; } = 0.30;

    /// <summary>How often a biased judgment errs its way: lenient turns each failed mark into a pass with this probability, strict the reverse; in [0, 1].</summary>
    public double BiasStrength { get; init; } = 0.70;

    /// <summary>
    /// Route tasks: share of judge and meta-judge demonstrations about a near-miss route (a well-formed route from
    /// source to target, correct or with non-edge steps: the seed actor's own kind of error) rather than a response of
    /// the stratified pool; in [0, 1]. Other families have no near misses and ignore it.
    /// </summary>
    public double NearMissShare { get; init; }

    /// <summary>Share of SFT examples (or batches) that are actor demonstrations.</summary>
    public double ActorShare { get; init; } = 0.35;

    /// <summary>Share of judge demonstrations.</summary>
    public double JudgeShare { get; init; } = 0.40;

    /// <summary>Share of meta-judge demonstrations; the three shares must sum to 1.</summary>
    public double MetaJudgeShare { get; init; } = 0.25;

    /// <summary>The evaluation split's share of tasks: what train and iteration leave.</summary>
    public double EvaluationFraction => 1 - TrainFraction - IterationFraction;

    /// <summary>The defaults for <paramref name="family"/>: lengths 3–6 for constraint tasks, 2–5 for reverse/sort, routes of 2–3 steps (docs/SANDBOX.md).</summary>
    public static SandboxSettings For(TaskFamily family) => family switch
    {
        TaskFamily.Constraint => new SandboxSettings(),
        // Route: a 1-step route is a single look-up; the actor should have to search.
        // Its actor demonstrations are all correct: the seed's errors come from the search it cannot do, not
        // from injected noise. Routes of 2–3 steps and a larger actor share: at 2–4 steps and the constraint
        // family's mix, 1,500 SFT steps left greedy accuracy at 0.14 (docs/SANDBOX.md, "The route family").
        TaskFamily.Route => new SandboxSettings
        {
            Family = family, MinLength = 2, MaxLength = 3, ActorContentErrorRate = 0, ActorFormatErrorRate = 0,
            ActorShare = 0.45, JudgeShare = 0.35, MetaJudgeShare = 0.20,
            // Half the judge data on the actor's kind of error: with the stratified pool alone the seed judge passed
            // 99.8% of the actor's own failed routes, with near misses 98.5%, and its meta-judge got far better
            // (docs/SANDBOX.md, "Honest supervision" and "The goal").
            NearMissShare = 0.5,
        },
        _ => new SandboxSettings { Family = family, MinLength = 2, MaxLength = 5 },
    };

    /// <summary>Every problem with these settings, one message each (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Family))
        {
            errors.Add($"sandbox.family must be one of {string.Join(", ", Enum.GetNames<TaskFamily>())}, got {Family}");
        }

        var shortest = Family == TaskFamily.Constraint ? 2 : 1;
        if (Family == TaskFamily.Route && (GraphEdges < 7 || GraphEdges > 12))
        {
            errors.Add($"sandbox.graphEdges must be in [7, 12] for route tasks, got {GraphEdges}");
        }

        if (MinLength < shortest || MinLength > MaxTaskLength)
        {
            errors.Add($"sandbox.minLength must be in [{shortest}, {MaxTaskLength}] for {Family} tasks, got {MinLength}");
        }

        if (MaxLength < MinLength || MaxLength > MaxTaskLength)
        {
            errors.Add($"sandbox.maxLength must be in [minLength = {MinLength}, {MaxTaskLength}] (longer tasks overflow the {SandboxLimits.ContextWindow}-symbol context), got {MaxLength}");
        }

        InRange(errors, "trainFraction", TrainFraction, 0.05, 0.9);
        InRange(errors, "iterationFraction", IterationFraction, 0.05, 0.9);
        if (!(EvaluationFraction >= 0.05 - 1e-12))
        {
            errors.Add($"sandbox.trainFraction + sandbox.iterationFraction must be <= 0.95 so the evaluation split keeps >= 5% of tasks, got {Format(TrainFraction + IterationFraction)}");
        }

        InRange(errors, "actorContentErrorRate", ActorContentErrorRate, 0, 1);
        InRange(errors, "actorFormatErrorRate", ActorFormatErrorRate, 0, 1);
        if (!(JudgeMarkFlipRate >= 0 && JudgeMarkFlipRate < 0.5))
        {
            errors.Add($"sandbox.judgeMarkFlipRate must be in [0, 0.5) (at 0.5 the labels carry no signal), got {Format(JudgeMarkFlipRate)}");
        }

        InRange(errors, "biasedJudgmentRate", BiasedJudgmentRate, 0, 0.5);
        InRange(errors, "biasStrength", BiasStrength, 0, 1);
        InRange(errors, "nearMissShare", NearMissShare, 0, 1);
        InRange(errors, "actorShare", ActorShare, 0, 1);
        InRange(errors, "judgeShare", JudgeShare, 0, 1);
        InRange(errors, "metaJudgeShare", MetaJudgeShare, 0, 1);
        var total = ActorShare + JudgeShare + MetaJudgeShare;
        if (!(Math.Abs(total - 1) <= 1e-9))
        {
            errors.Add($"sandbox.actorShare + judgeShare + metaJudgeShare must be 1, got {Format(total)}");
        }

        return errors;
    }

    /// <summary>Throws a <see cref="ConfigurationException"/> listing every problem, if there is any.</summary>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }
    }

    private static void InRange(List<string> errors, string field, double value, double lower, double upper)
    {
        if (!(value >= lower && value <= upper))
        {
            errors.Add($"sandbox.{field} must be in [{Format(lower)}, {Format(upper)}], got {Format(value)}");
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
