using MetaRewarding.Activities.Contracts;
using Temporalio.Workflows;

namespace MetaRewarding.Workflows;

/// <summary>
/// One Meta-Rewarding iteration t (docs/ALGORITHM.md, "One iteration t"): prompts → generate → judge → meta-judge
/// (only where the schedule trains the judge) → actor and judge pairs → DPO → evaluate. Model steps fan out as
/// shards on the GPU queue, so a lost worker loses one shard; everything that moves between steps is an
/// artifact reference. Each phase names its paper step; docs/ALGORITHM.md's table maps every step to the activity
/// that runs it and the Alignment or Modeling file that holds its rule.
/// </summary>
[Workflow(WorkflowNames.Iteration)]
public sealed class IterationWorkflow
{
    private Progress progress = new();

    /// <summary>Where the iteration is (phase, shards, training steps, and its result once done).</summary>
    [WorkflowQuery(WorkflowNames.ProgressQuery)]
    public Progress Progress() => progress;

    /// <summary>The training activity reports its steps here (a signal, so they show in the progress query).</summary>
    [WorkflowSignal(WorkflowNames.TrainingProgressSignal)]
    public Task ReportTrainingProgressAsync(TrainingProgress update)
    {
        ArgumentNullException.ThrowIfNull(update);
        progress = progress with { TrainingStep = update.Step, TrainingSteps = update.Steps, TrainingLoss = update.Loss };
        return Task.CompletedTask;
    }

    [WorkflowRun]
    public async Task<IterationSummary> RunAsync(IterationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var queues = input.TaskQueues;
        var timeouts = input.Timeouts;
        var context = new IterationContext(input.RunId, input.Snapshot.Run, input.Iteration, input.Model);
        progress = new Progress { Iteration = input.Iteration };

        // Step 1: this iteration's disjoint slice of the prompt pool (RunActivities.SelectPrompts).
        Enter(Phases.Prompts);
        var slice = await Workflow.ExecuteActivityAsync(
            (IRunActivities a) => a.SelectPromptsAsync(new SelectPromptsInput(context, input.Snapshot.PromptPool)),
            ActivityPolicies.Cpu(queues));

        // Steps 2, 3, 5a–5b: K actor responses per prompt (ModelActivities → ResponseGeneration), N judgments per
        // response (→ ResponseJudging), and, where the schedule trains the judge (decided once, by JudgeTraining, in
        // the run workflow), battles between the judgments of each prompt's most disputed response (→ MetaJudging).
        // Each shard's steps are chained: a shard is judged as soon as its own responses exist, so no GPU worker
        // waits at a phase barrier for the slowest shard (docs/GENERATION.md). Runs started before the chaining keep
        // the phase-by-phase order they were recorded with.
        var shards = new ShardSteps(context, slice, queues, timeouts, input.TrainsJudge);
        var (responses, judgments, metaJudgments) = Workflow.Patched(ChainedShardStepsPatch)
            ? await ChainedAsync(shards)
            : await PhaseByPhaseAsync(shards);

        // Steps 3–5: scores, actor pairs, positional-bias weights, battle matrix, Elo fit, judge pairs
        // (RunActivities → IterationPairsStep → Alignment's IterationPairBuilder).
        Enter(Phases.Pairs);
        var pairs = await Workflow.ExecuteActivityAsync(
            (IRunActivities a) => a.BuildPairsAsync(new PairsInput(context, responses, judgments, metaJudgments)),
            ActivityPolicies.Cpu(queues));

        // Step 6: DPO of M_t into M_{t+1} (ModelActivities → DpoTraining → Modeling's DpoTrainer).
        Enter(Phases.Train);
        var training = await Workflow.ExecuteActivityAsync(
            (IModelActivities a) => a.TrainDpoAsync(new TrainingInput(context, pairs.Pairs)),
            ActivityPolicies.Training(queues, timeouts));

        // Step 7: evaluate M_{t+1} (ModelActivities → ModelEvaluation).
        Enter(Phases.Evaluate);
        var evaluation = await Workflow.ExecuteActivityAsync(
            (IModelActivities a) => a.EvaluateAsync(
                new EvaluationInput(input.RunId, input.Snapshot.Run, training.Model, $"iteration-{input.Iteration}")),
            ActivityPolicies.ModelShard(queues, timeouts));

        var summary = new IterationSummary(input.Iteration, input.TrainsJudge, training.Model, pairs.Metrics, training, evaluation);
        progress = progress with { Phase = Phases.Done, Latest = summary };
        Workflow.UpsertTypedSearchAttributes(RunSearchAttributes.Phase.ValueSet(Phases.Done));
        return summary;
    }

    /// <summary>The <see cref="Workflow.Patched(string)"/> id of the chained shard steps.</summary>
    public const string ChainedShardStepsPatch = "chained-shard-steps";

    /// <summary>Every shard runs generate → judge → meta-judge on its own; the phase shown is the furthest-behind shard's step.</summary>
    private async Task<(IReadOnlyList<ArtifactRef>, IReadOnlyList<ArtifactRef>, IReadOnlyList<ArtifactRef>)> ChainedAsync(ShardSteps shards)
    {
        string[] steps = shards.TrainsJudge ? [Phases.Generate, Phases.Judge, Phases.MetaJudge] : [Phases.Generate, Phases.Judge];
        var done = new int[steps.Length];
        Enter(Phases.Generate, shards.Count);

        void Finished(int step)
        {
            done[step]++;
            var behind = Array.FindIndex(done, d => d < shards.Count);
            if (behind < 0)
            {
                progress = progress with { ShardsDone = shards.Count };
                return;
            }

            if (steps[behind] != progress.Phase)
            {
                Enter(steps[behind], shards.Count);
            }

            progress = progress with { ShardsDone = done[behind] };
        }

        async Task<(ArtifactRef Responses, ArtifactRef Judgments, ArtifactRef? MetaJudgments)> ShardAsync(int shard)
        {
            var responses = await shards.GenerateAsync(shard);
            Finished(0);
            var judgments = await shards.JudgeAsync(shard, responses);
            Finished(1);
            if (!shards.TrainsJudge)
            {
                return (responses, judgments, null);
            }

            var metaJudgments = await shards.MetaJudgeAsync(shard, responses, judgments);
            Finished(2);
            return (responses, judgments, metaJudgments);
        }

        var results = await Workflow.WhenAllAsync(Enumerable.Range(0, shards.Count).Select(ShardAsync));
        return ([.. results.Select(r => r.Responses)], [.. results.Select(r => r.Judgments)],
            shards.TrainsJudge ? [.. results.Select(r => r.MetaJudgments!)] : []);
    }

    /// <summary>Before <see cref="ChainedShardStepsPatch"/>: every shard generates, then every shard judges, then every shard meta-judges.</summary>
    private async Task<(IReadOnlyList<ArtifactRef>, IReadOnlyList<ArtifactRef>, IReadOnlyList<ArtifactRef>)> PhaseByPhaseAsync(ShardSteps shards)
    {
        Enter(Phases.Generate, shards.Count);
        var responses = await FanOutAsync(shards.Count, shards.GenerateAsync);
        Enter(Phases.Judge, shards.Count);
        var judgments = await FanOutAsync(shards.Count, shard => shards.JudgeAsync(shard, responses[shard]));
        IReadOnlyList<ArtifactRef> metaJudgments = [];
        if (shards.TrainsJudge)
        {
            Enter(Phases.MetaJudge, shards.Count);
            metaJudgments = await FanOutAsync(shards.Count, shard => shards.MetaJudgeAsync(shard, responses[shard], judgments[shard]));
        }

        return (responses, judgments, metaJudgments);
    }

    private void Enter(string phase, int shards = 0)
    {
        progress = progress with { Phase = phase, ShardsDone = 0, ShardsTotal = shards };
        Workflow.UpsertTypedSearchAttributes(RunSearchAttributes.Phase.ValueSet(phase));
    }

    /// <summary>Runs one activity per shard concurrently, counting finished shards for the progress query.</summary>
    private async Task<IReadOnlyList<ArtifactRef>> FanOutAsync(int shards, Func<int, Task<ArtifactRef>> runShard)
    {
        async Task<ArtifactRef> CountedAsync(int shard)
        {
            var result = await runShard(shard);
            progress = progress with { ShardsDone = progress.ShardsDone + 1 };
            return result;
        }

        return await Workflow.WhenAllAsync(Enumerable.Range(0, shards).Select(CountedAsync));
    }
}
