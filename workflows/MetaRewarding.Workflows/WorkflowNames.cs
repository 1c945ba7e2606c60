namespace MetaRewarding.Workflows;

/// <summary>Workflow type, query and signal names: part of the contract with recorded histories and with the CLI.</summary>
public static class WorkflowNames
{
    public const string Run = "MetaRewardingRun";
    public const string Iteration = "MetaRewardingIteration";
    public const string ProgressQuery = "progress";
    public const string TrainingProgressSignal = "training-progress";

    /// <summary>The child workflow id of iteration <paramref name="iteration"/> of run workflow <paramref name="runWorkflowId"/>.</summary>
    public static string IterationWorkflowId(string runWorkflowId, int iteration) => $"{runWorkflowId}-iteration-{iteration}";
}
