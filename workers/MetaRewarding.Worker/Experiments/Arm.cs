using MetaRewarding.Activities.Contracts;

namespace MetaRewarding.Worker.Experiments;

/// <summary>
/// One arm of an experiment: a name, what it controls for, and how it changes the shared run's input. Every arm
/// runs the same schedule, prompts, sampling and DPO settings from the same seed model; only who judges, who
/// meta-judges and whether the judge trains differ (docs/SANDBOX.md, "Controls").
/// </summary>
public sealed record Arm(string Name, string Description, Func<RunInput, RunInput> Apply);

/// <summary>The arms, by name.</summary>
public static class Arms
{
    public const string MetaRewarding = "meta-rewarding";
    public const string Oracle = "oracle";
    public const string OwnJudge = "own-judge";
    public const string OracleMetaJudge = "oracle-meta-judge";
    public const string JudgeFree = "judge-free";

    /// <summary>Every arm, the method first.</summary>
    public static IReadOnlyList<Arm> All { get; } =
    [
        new(MetaRewarding, "the model judges and meta-judges itself; the judge trains where the schedule says (Meta-Rewarding proper)",
            input => input with { JudgeMode = JudgeMode.Model, MetaJudgeMode = MetaJudgeMode.Model }),
        new(Oracle, "true scores in place of the judge (what the loop reaches with a perfect judge)",
            input => input with { JudgeMode = JudgeMode.Oracle, MetaJudgeMode = MetaJudgeMode.Model }),
        new(OwnJudge, "the model judges itself, the judge never trains (actor only: what judge training adds or costs)",
            input => input with
            {
                JudgeMode = JudgeMode.Model,
                MetaJudgeMode = MetaJudgeMode.Model,
                Configuration = input.Configuration with { Iterations = [.. input.Configuration.Iterations.Select(i => i with { TrainsJudge = false })] },
            }),
        new(OracleMetaJudge, "the model judges itself, true verdicts decide its judge pairs (is the meta-judge the weak link?)",
            input => input with { JudgeMode = JudgeMode.Model, MetaJudgeMode = MetaJudgeMode.Oracle }),
        new(JudgeFree, "random scores: random pairs of its own samples plus the NLL term (what any judged arm must beat)",
            input => input with { JudgeMode = JudgeMode.Random, MetaJudgeMode = MetaJudgeMode.Model }),
    ];

    /// <summary>The demo's arms: the method and its oracle control.</summary>
    public static IReadOnlyList<Arm> Demo { get; } = [All[0], All[1]];

    /// <summary>The arm named <paramref name="name"/>.</summary>
    public static Arm Get(string name) =>
        All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal))
        ?? throw new ArgumentException($"unknown arm '{name}'; arms: {string.Join(", ", All.Select(a => a.Name))}", nameof(name));
}
