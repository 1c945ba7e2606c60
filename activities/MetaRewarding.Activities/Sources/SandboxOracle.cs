using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Activities.Sources;

/// <summary>The sandbox's ground truth, read from the prompt text (<see cref="SandboxTasks.Parse"/>): the task's own rubric and formats.</summary>
internal sealed class SandboxOracle : IRunOracle
{
    public int Score(string prompt, string response) => Rubric.Score(SandboxTasks.Parse(prompt), response);

    public string Judgment(string prompt, string response) => OracleJudge.Judgment(prompt, response);

    public string MetaJudgment(string prompt, string response, string judgmentA, string judgmentB) =>
        SandboxTasks.Parse(prompt).TrueMetaJudgment(response, new ModelCompletion(judgmentA), new ModelCompletion(judgmentB));

    public int CompareJudgments(string prompt, string response, string judgmentA, string judgmentB)
    {
        var task = SandboxTasks.Parse(prompt);
        return task.ErrorOf(response, new ModelCompletion(judgmentA)).CompareTo(task.ErrorOf(response, new ModelCompletion(judgmentB)));
    }
}
