namespace MetaRewarding.Activities.Contracts;

/// <summary>
/// The activity type names, as they appear in the Temporal UI and in histories. They are part of the
/// contract with recorded histories: renaming one breaks replay of runs that used it.
/// </summary>
public static class ActivityNames
{
    public const string PrepareRun = "PrepareRun";
    public const string SelectPrompts = "SelectPrompts";
    public const string BuildPairs = "BuildPairs";
    public const string WriteReport = "WriteReport";
    public const string PrepareSeedModel = "PrepareSeedModel";
    public const string GenerateResponses = "GenerateResponses";
    public const string JudgeResponses = "JudgeResponses";
    public const string MetaJudge = "MetaJudge";
    public const string TrainDpo = "TrainDpo";
    public const string Evaluate = "Evaluate";
}
