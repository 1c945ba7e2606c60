using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Run;
using MetaRewarding.Workflows;
using Temporalio.Client;
using Temporalio.Common;

namespace MetaRewarding.Worker.Runs;

/// <summary>
/// `metarewarding start --config RUN.json --iteration T --model DIR`: one <see cref="IterationWorkflow"/> for iteration T
/// of a run file, from the checkpoint DIR, without running iterations 1..T-1 (to re-run iteration 3 with another ρ,
/// say). Validated like a run; its artifacts go under its own id (runs/{id}/...), never into another run's folder.
/// </summary>
public static class IterationStarter
{
    /// <summary>What is wrong with launching iteration <paramref name="iteration"/> of <paramref name="input"/> from <paramref name="modelDir"/>.</summary>
    public static List<string> Validate(RunInput input, int iteration, string modelDir)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new List<string>();
        var count = input.Configuration.Iterations.Count;
        if (iteration < 1 || iteration > count)
        {
            errors.Add($"--iteration {iteration} is not in the run file's schedule: it has iterations 1-{count}");
        }
        var full = Path.GetFullPath(modelDir);
        if (!Directory.Exists(full))
        {
            errors.Add($"--model folder '{full}' does not exist; give a checkpoint folder (an iteration's dpo/model or a seed model), as the workers see it");
        }
        else if (!File.Exists(Path.Combine(full, "config.json")))
        {
            errors.Add($"--model folder '{full}' has no config.json: it is not a checkpoint (look for the folder of an iteration's trained model, runs/ID/iteration-T/...)");
        }
        return errors;
    }

    /// <summary>
    /// Writes the run's snapshot and prompt pool under the iteration's own id (what the run workflow's PrepareRun would
    /// write) and returns the workflow input. <paramref name="input"/> must have passed the run validation.
    /// </summary>
    public static async Task<IterationInput> PrepareAsync(RunInput input, int iteration, string modelDir, ArtifactStore store)
    {
        ArgumentNullException.ThrowIfNull(input);
        var snapshot = await new RunActivities(store).PrepareRunAsync(input);
        var model = ArtifactStore.DescribeExternal(Path.GetFullPath(modelDir));
        var trainsJudge = JudgeTraining.IsTrainedIn(input.Configuration.Iterations[iteration - 1], input.JudgeMode);
        return new IterationInput(input.RunId, snapshot, iteration, trainsJudge, model, input.TaskQueues) { Timeouts = input.Timeouts };
    }

    /// <summary>Workflow id <c>{id}-iteration-{T}</c> (as a run names its children), on the CPU queue, with the iteration's memo.</summary>
    public static WorkflowOptions Options(RunInput run, IterationInput input)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(input);
        return new WorkflowOptions(WorkflowNames.IterationWorkflowId(input.RunId, input.Iteration), input.TaskQueues.Cpu)
        {
            Memo = IterationMemo.For(run.Configuration.Iterations[input.Iteration - 1], input.Iteration, input.TrainsJudge),
            TypedSearchAttributes = new SearchAttributeCollection.Builder()
                .Set(RunSearchAttributes.Iteration, input.Iteration)
                .Set(RunSearchAttributes.Phase, Phases.Prompts)
                .ToSearchAttributeCollection(),
        };
    }

    public static Task<WorkflowHandle<IterationWorkflow, IterationSummary>> StartAsync(ITemporalClient client, RunInput run, IterationInput input)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.StartWorkflowAsync((IterationWorkflow w) => w.RunAsync(input), Options(run, input));
    }

    /// <summary>The equivalent Temporal CLI command.</summary>
    public static string TemporalCliCommand(IterationInput input, string inputFile, string address, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(input);
        var file = RunStarter.Quote(inputFile);
        return $"temporal workflow start --address {address} --namespace {@namespace} --type {WorkflowNames.Iteration} "
            + $"--task-queue {input.TaskQueues.Cpu} --workflow-id {WorkflowNames.IterationWorkflowId(input.RunId, input.Iteration)} --input-file {file} "
            + $"--search-attribute '{RunSearchAttributes.Iteration.Name}={input.Iteration}' --search-attribute '{RunSearchAttributes.Phase.Name}=\"{Phases.Prompts}\"'";
    }
}
