using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Alignment.Templates;

namespace MetaRewarding.Activities.Sources;

/// <summary>
/// A real run has no labels: on held-out pool prompts (after every iteration's slice, else the pool's last ones)
/// the greedy response and the model's own greedy judgment of it — <c>judgeParseRate</c>, <c>meanSelfScore</c>
/// (over parsable judgments) and <c>meanResponseChars</c>. Quality against humans needs an external benchmark
/// (AlpacaEval, Arena-Hard), outside this activity.
/// </summary>
internal static class RealEvaluation
{
    public static EvaluationReport Evaluate(LoadedModel model, EvaluationContext context)
    {
        var (store, options, runId, run, heartbeat) = (context.Store, context.Options, context.RunId, context.Run, context.Heartbeat);
        var poolPath = ArtifactStore.RunPath(runId, "prompts.jsonl");
        var pool = store.TryGetFile(poolPath) ?? throw new ArtifactMissingException(poolPath, null, "no complete prompt pool (PrepareRun writes it)");
        var prompts = JsonlArtifacts.Read(store, pool, DatasetJsonContext.Default.PromptRecord, run.Configuration.MalformedLines);
        var used = run.Configuration.Iterations.Sum(i => (long)i.Prompts);
        var heldOut = prompts.Skip((int)Math.Min(used, prompts.Count)).Take(options.RealEvaluationPrompts).ToList();
        if (heldOut.Count == 0)
        {
            heldOut = [.. prompts.TakeLast(options.RealEvaluationPrompts)];
        }

        var ct = heartbeat.CancellationToken;
        var first = run.Iteration(1);
        var actorSettings = first.ActorSampling with { Temperature = 0 };
        var judgeSettings = first.JudgeSampling with { Temperature = 0 };
        var responses = CompletionSampler.Sample(
            model,
            [.. heldOut.Select(p => new SampleRequest(run.Templates.Actor.Render(new TemplateValues(p.Prompt)).Text, 0))],
            CompletionSampler.Options(model, actorSettings, null, options.GenerationBatchSize),
            d => heartbeat.Report(new StepProgress(StepSeeds.Evaluate, d, 2L * heldOut.Count)),
            ct);
        var judgments = CompletionSampler.Sample(
            model,
            [.. heldOut.Select((p, i) => new SampleRequest(run.Templates.Judge.Render(new TemplateValues(p.Prompt, responses[i].Text)).Text, 0))],
            CompletionSampler.Options(model, judgeSettings, null, options.GenerationBatchSize),
            d => heartbeat.Report(new StepProgress(StepSeeds.Evaluate, heldOut.Count + d, 2L * heldOut.Count)),
            ct);
        var scores = judgments.Select(j => JudgeScoreParser.Parse(j.Completion)).ToList();
        var valid = scores.Where(s => s.IsValid).Select(s => s.Score).ToList();
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["judgeParseRate"] = (double)valid.Count / heldOut.Count,
            ["meanResponseChars"] = responses.Average(r => (double)r.Text.Length),
        };
        if (valid.Count > 0)
        {
            metrics["meanSelfScore"] = valid.Average();
        }

        return new EvaluationReport { Metrics = metrics, HeldOutPrompts = heldOut.Count };
    }
}
