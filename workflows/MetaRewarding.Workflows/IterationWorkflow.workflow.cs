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

        // Step 2: K actor responses per prompt (ModelActivities → ResponseGeneration).
        Enter(Phases.Generate, slice.Shards);
        var responses = await FanOutAsync(slice.Shards, shard =>
        {
            var shardInput = new ShardInput(context, [slice.Prompts], shard, slice.Shards);
            return Workflow.ExecuteActivityAsync(
                (IModelActivities a) => a.GenerateResponsesAsync(shardInput), ActivityPolicies.ModelShard(queues, timeouts));
        });

        // Step 3: N judgments per response (ModelActivities → ResponseJudging).
        Enter(Phases.Judge, slice.Shards);
        var judgments = await FanOutAsync(slice.Shards, shard =>
        {
            var shardInput = new ShardInput(context, [responses[shard]], shard, slice.Shards);
            return Workflow.ExecuteActivityAsync(
                (IModelActivities a) => a.JudgeResponsesAsync(shardInput), ActivityPolicies.ModelShard(queues, timeouts));
        });

        IReadOnlyList<ArtifactRef> metaJudgments = [];
        // Steps 5a–5b: battles between the judgments of each prompt's most disputed response (ModelActivities →
        // MetaJudging). TrainsJudge was decided once, by JudgeTraining, in the run workflow.
        if (input.TrainsJudge)
        {
            Enter(Phases.MetaJudge, slice.Shards);
            metaJudgments = await FanOutAsync(slice.Shards, shard =>
            {
                var shardInput = new ShardInput(context, [responses[shard], judgments[shard]], shard, slice.Shards);
                return Workflow.ExecuteActivityAsync(
                    (IModelActivities a) => a.MetaJudgeAsync(shardInput), ActivityPolicies.ModelShard(queues, timeouts));
            });
        }

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
