using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox;

/// <summary>
/// The ORACLE judge: the 5-point rubric computed by a program from the ground truth, one point per criterion
/// (constraint tasks: format, length, start, contains, no repeat; reverse/sort: format, length, first, half
/// right, exact). It is the demo's control — the same loop with these scores in place of the model's judge
/// shows what Meta-Rewarding could reach with a perfect judge.
/// </summary>
public static class Rubric
{
    /// <summary>Number of criteria, hence the highest score.</summary>
    public const int CriterionCount = 5;

    /// <summary>One mark per criterion for <paramref name="response"/> (the actor's completion as generated).</summary>
    public static bool[] Marks(ISandboxTask task, string response)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(response);
        return task.Marks(response);
    }

    /// <summary>The true score 0–5: the number of criteria met.</summary>
    public static int Score(ISandboxTask task, string response) => Marks(task, response).Count(m => m);

    /// <summary>True when every criterion is met (what "accuracy" counts).</summary>
    public static bool IsCorrect(ISandboxTask task, string response) => Marks(task, response).All(m => m);
}
