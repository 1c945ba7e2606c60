using MetaRewarding.Activities.Contracts;
using Temporalio.Common;
using Temporalio.Workflows;

namespace MetaRewarding.Workflows;

/// <summary>
/// A whole Meta-Rewarding run: validate the run before any GPU time is spent, make the seed model M_0 (seed SFT
/// where configured), evaluate it, then one child <see cref="IterationWorkflow"/> per scheduled iteration, each
/// starting from the previous iteration's checkpoint. The schedule is data: which iterations train the judge
/// comes from the configuration. A report is rewritten after every iteration, so a run stopped half-way still
/// has one.
/// </summary>
[Workflow(WorkflowNames.Run)]
public sealed class RunWorkflow
{
    private Progress progress = new();

    /// <summary>Where the run is; for shard and training detail query the current iteration's child workflow.</summary>
    [WorkflowQuery(WorkflowNames.ProgressQuery)]
    public Progress Progress() => progress;

    [WorkflowRun]
    public async Task<RunSummary> RunAsync(RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var queues = input.TaskQueues;
        var timeouts = input.Timeouts;
        var schedule = input.Configuration.Iterations;
        progress = new Progress { Iterations = schedule.Count };

        Enter(Phases.Prepare, 0);
        var snapshot = await Workflow.ExecuteActivityAsync(
            (IRunActivities a) => a.PrepareRunAsync(input), ActivityPolicies.Cpu(queues));

        Enter(Phases.Seed, 0);
        var seedModel = await Workflow.ExecuteActivityAsync(
            (IModelActivities a) => a.PrepareSeedModelAsync(new SeedInput(input.RunId, snapshot.Run)),
            ActivityPolicies.Training(queues, timeouts));
        var model = seedModel;

        // Query state only (no command): histories recorded before it replay unchanged.
        progress = progress with { SeedModel = seedModel };

        Enter(Phases.Evaluate, 0);
        var seedEvaluation = await Workflow.ExecuteActivityAsync(
            (IModelActivities a) => a.EvaluateAsync(new EvaluationInput(input.RunId, snapshot.Run, seedModel, "seed")),
            ActivityPolicies.ModelShard(queues, timeouts));

        var iterations = new List<IterationSummary>();
        var report = await WriteReportAsync(input, snapshot, seedEvaluation, iterations);
        for (var t = 1; t <= schedule.Count; t++)
        {
            var settings = schedule[t - 1];
            var trainsJudge = JudgeTraining.IsTrainedIn(settings, input.JudgeMode);
            Enter(Phases.Iterating, t);
            var summary = await Workflow.ExecuteChildWorkflowAsync(
                (IterationWorkflow w) => w.RunAsync(new IterationInput(input.RunId, snapshot, t, trainsJudge, model, queues) { Timeouts = timeouts }),
                new ChildWorkflowOptions
                {
                    Id = WorkflowNames.IterationWorkflowId(Workflow.Info.WorkflowId, t),
                    TaskQueue = queues.Cpu,
                    Memo = IterationMemo.For(settings, t, trainsJudge),
                    TypedSearchAttributes = new SearchAttributeCollection.Builder()
                        .Set(RunSearchAttributes.Iteration, t)
                        .Set(RunSearchAttributes.Phase, Phases.Prompts)
                        .ToSearchAttributeCollection(),
                });
            iterations.Add(summary);
            model = summary.Model;
            progress = progress with { Latest = summary };
            Enter(Phases.Report, t);
            report = await WriteReportAsync(input, snapshot, seedEvaluation, iterations);
        }

        Enter(Phases.Done, schedule.Count);
        return new RunSummary(input.RunId, seedModel, seedEvaluation, iterations, report);
    }

    private static Task<ArtifactRef> WriteReportAsync(
        RunInput input, RunSnapshot snapshot, EvaluationOutput seedEvaluation, List<IterationSummary> iterations)
    {
        var reportInput = new ReportInput(input.RunId, snapshot.Run, seedEvaluation, [.. iterations]);
        return Workflow.ExecuteActivityAsync(
            (IRunActivities a) => a.WriteReportAsync(reportInput), ActivityPolicies.Cpu(input.TaskQueues));
    }

    private void Enter(string phase, int iteration)
    {
        progress = progress with { Phase = phase, Iteration = iteration };
        Workflow.UpsertTypedSearchAttributes(
            RunSearchAttributes.Phase.ValueSet(phase), RunSearchAttributes.Iteration.ValueSet(iteration));
    }
}
