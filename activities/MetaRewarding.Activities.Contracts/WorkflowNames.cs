namespace MetaRewarding.Activities.Contracts;

/// <summary>
/// Workflow type, query and signal names: a contract with recorded histories, with the CLI, and with the training
/// activity that signals progress. They live here, beside the activity names, so that workflows, activities and
/// clients share one declaration of each (activities cannot reference the workflows project).
/// </summary>
public static class WorkflowNames
{
    public const string Run = "MetaRewardingRun";
    public const string Iteration = "MetaRewardingIteration";
    public const string ProgressQuery = "progress";
    public const string TrainingProgressSignal = "training-progress";

    /// <summary>The child workflow id of iteration <paramref name="iteration"/> of run workflow <paramref name="runWorkflowId"/>.</summary>
    public static string IterationWorkflowId(string runWorkflowId, int iteration) => $"{runWorkflowId}-iteration-{iteration}";
}
