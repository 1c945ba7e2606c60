namespace MetaRewarding.Activities.Contracts;

/// <summary>
/// The task queues of a deployment. GPU activities (generation, judging, training) go to the GPU queue so that
/// only workers with an accelerator take them; cheap CPU work and the workflows themselves go to the CPU queue.
/// </summary>
public sealed record TaskQueues
{
    /// <summary>Workflow tasks and CPU activities (prompt slicing, pair building, reports).</summary>
    public string Cpu { get; init; } = "metarewarding-cpu";

    /// <summary>Model activities (seed SFT, generation, judging, meta-judging, DPO, evaluation).</summary>
    public string Gpu { get; init; } = "metarewarding-gpu";
}
