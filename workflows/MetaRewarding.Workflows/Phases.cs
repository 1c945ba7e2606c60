namespace MetaRewarding.Workflows;

/// <summary>
/// The values of the <c>MetaRewardingPhase</c> search attribute and of the progress query's phase: where a run
/// or an iteration is, in the order they happen.
/// </summary>
public static class Phases
{
    public const string Prepare = "prepare";
    public const string Seed = "seed";
    public const string Prompts = "prompts";
    public const string Generate = "generate";
    public const string Judge = "judge";
    public const string MetaJudge = "meta-judge";
    public const string Pairs = "pairs";
    public const string Train = "train";
    public const string Evaluate = "evaluate";
    public const string Report = "report";
    public const string Iterating = "iterating";
    public const string Done = "done";
}
