using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox;

/// <summary>
/// The oracle in the judge's own format: what a perfect judge would write. The oracle control runs the same
/// loop with these judgments (or <see cref="Rubric.Score"/>) in place of the model's, so everything downstream —
/// parsing, pair selection, metrics — is shared. Activities that only have the prompt text use the overloads
/// taking it (the actor-rendered prompt with its newline is accepted too).
/// </summary>
public static class OracleJudge
{
    /// <summary>The true judgment in the task's format, e.g. <c>++-+- Score: 3</c> or <c>+++-+ bd Score: 4</c>.</summary>
    public static string Judgment(ISandboxTask task, string response)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(response);
        return task.TrueJudgment(response);
    }

    /// <summary>The true judgment of <paramref name="response"/> to the task whose compact prompt is <paramref name="prompt"/>.</summary>
    public static string Judgment(string prompt, string response) => Judgment(SandboxTasks.Parse(prompt), response);

    /// <summary>The true score 0–5 of <paramref name="response"/> to the task whose compact prompt is <paramref name="prompt"/>.</summary>
    public static int Score(string prompt, string response) => Rubric.Score(SandboxTasks.Parse(prompt), response);
}
