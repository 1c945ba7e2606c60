using System.Globalization;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Alignment.Templates;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Evaluation;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Activities.Sources;

/// <summary>
/// The sandbox's evaluation, against the truth (docs/SANDBOX.md, "Measuring"). Every checkpoint of every run is
/// measured on the same distinct evaluation-split tasks with the same seeds (the data seed, not the run's), so
/// differences between checkpoints and between arms are the models', not the dice's. Figures:
/// <list type="bullet">
/// <item>the actor, greedy and at temperature 1 (k samples per task): <c>actorAccuracy</c>,
/// <c>actorSampledAccuracy</c> (each with <c>…Low</c>/<c>…High</c>, the 95% bootstrap interval over distinct
/// tasks), <c>passAtK</c>, <c>evaluationTasks</c> (distinct tasks), <c>truncationRate</c> (answers cut at the
/// generation cap, by their finish reason);</item>
/// <item>the greedy judge on the actor's <em>own</em> sampled answers (the first two of each task): <c>judgeCatchRate</c> (failed answers it
/// scores below 5), <c>judgeFalseRejectRate</c> (correct answers it scores below 5), <c>ownFailedSamples</c>, and per
/// criterion <c>judgeCatch.{criterion}</c> (violations it marks failed);</item>
/// <item>the greedy judge on a fixed labelled set (250 items): <c>judgeAgreement</c> (exact), <c>judgeWithinOne</c>,
/// <c>judgeSpearman</c>, <c>judgeParseRate</c>;</item>
/// <item>the greedy meta-judge, in both orders, on pairs of its own sampled judgments (temperature 1) of the first
/// 250 tasks' first answers, where they disagree: <c>metaJudgeAccuracy</c>, <c>metaJudgeHigherScoreRate</c>,
/// <c>metaJudgePositionARate</c>, <c>metaJudgePairs</c>.</item>
/// </list>
/// A rate with nothing to count is left out rather than NaN.
/// </summary>
internal static class SandboxEvaluation
{
    private static readonly SamplingSettings Greedy = new() { Temperature = 0, TopP = 1 };
    private static readonly SamplingSettings Sampled = new() { Temperature = 1, TopP = 1 };

    // Distinct tasks are drawn by index until enough are found; a small family (constraint: 55 evaluation tasks)
    // stops at what it has.
    private const int DrawsPerTask = 50;

    // Judging costs a generation per item: the judge's own-sample figures use the first two samples of every task
    // (about 1,500 failed answers at the seed: a catch rate's standard error under 0.013), the labelled yardstick
    // and the meta-judge the first 250 tasks (500 shown pairs at most).
    private const int JudgedSamplesPerTask = 2;
    private const int LabelledItems = 250;
    private const int MetaItems = 250;

    public static EvaluationReport Evaluate(LoadedModel model, EvaluationContext context, SandboxOptions sandbox, SandboxSettings settings)
    {
        if (sandbox.EvaluationPrompts < 1 || sandbox.EvaluationSamples < 1)
        {
            throw new ConfigurationException($"sandbox.evaluationPrompts and sandbox.evaluationSamples must be >= 1, got {sandbox.EvaluationPrompts} and {sandbox.EvaluationSamples}");
        }

        var (options, run, heartbeat) = (context.Options, context.Run, context.Heartbeat);
        var templates = run.Templates;
        var ct = heartbeat.CancellationToken;
        var seed = settings.DataSeed;
        var samples = sandbox.EvaluationSamples;
        var tasks = DistinctTasks(settings, sandbox.EvaluationPrompts);
        var n = tasks.Count;
        var labelledItems = Math.Min(n, LabelledItems);
        var judgedSamples = Math.Min(samples, JudgedSamplesPerTask);
        var metaItems = Math.Min(n, MetaItems);
        var total = ((long)n * (samples + 1)) + labelledItems + ((long)n * judgedSamples) + (2L * metaItems) + (2L * metaItems);
        long done = 0;
        IReadOnlyList<SampledCompletion> Sample(IReadOnlyList<SampleRequest> requests, SamplingSettings sampling, int cap)
        {
            var texts = CompletionSampler.Sample(
                model, requests, CompletionSampler.Options(model, sampling, cap, options.GenerationBatchSize),
                batchDone => heartbeat.Report(new StepProgress(StepSeeds.Evaluate, done + batchDone, total)), ct);
            done += requests.Count;
            return texts;
        }

        string JudgePrompt(ISandboxTask task, string response) => templates.Judge.Render(new TemplateValues(task.Prompt, response)).Text;

        // Actor: greedy, then `samples` draws per task.
        var actorPrompts = tasks.Select(t => templates.Actor.Render(new TemplateValues(t.Prompt)).Text).ToList();
        var greedy = Sample([.. actorPrompts.Select(p => new SampleRequest(p, 0))], Greedy, SandboxLimits.ActorMaxNewTokens);
        var sampled = Sample(
            [.. actorPrompts.SelectMany((p, i) => Enumerable.Range(0, samples).Select(s => new SampleRequest(p, StepSeeds.For(seed, 0, StepSeeds.Evaluate, "actor/" + i, s))))],
            Sampled,
            SandboxLimits.ActorMaxNewTokens);
        var perTask = tasks.Select((t, i) => new ActorSamples(t, greedy[i].Text, [.. sampled.Skip(i * samples).Take(samples).Select(s => s.Text)])).ToList();
        var actor = ActorEvaluation.Evaluate(perTask, samples);
        var greedyInterval = BootstrapInterval.Of([.. perTask.Select(p => Rubric.IsCorrect(p.Task, p.Greedy) ? 1.0 : 0.0)]);
        var sampledInterval = BootstrapInterval.Of([.. perTask.Select(p => p.Samples.Count(s => Rubric.IsCorrect(p.Task, s)) / (double)samples)]);
        var truncated = greedy.Concat(sampled).Count(c => CompletionFinish.IsTruncated(c.FinishReason));

        // Judge, fixed labelled set: the comparable yardstick across checkpoints.
        var labelled = LabelledJudgeSet.Create(settings, labelledItems);
        var labelledJudgments = Sample([.. labelled.Select(l => new SampleRequest(JudgePrompt(l.Task, l.Response), 0))], Greedy, SandboxLimits.JudgeMaxNewTokens);
        var labelledJudged = labelled.Select((l, i) => new JudgedResponse(l.Task, l.Response, labelledJudgments[i].Completion)).ToList();
        var judge = JudgeAgreement.Evaluate(labelledJudged);
        var labelledCatch = CriterionCatchRates.Compute(labelledJudged);

        // Judge, the actor's own sampled answers: does it catch what this actor gets wrong?
        var own = perTask.SelectMany(p => p.Samples.Take(judgedSamples).Select(s => (p.Task, Response: s))).ToList();
        var ownJudgments = Sample([.. own.Select(o => new SampleRequest(JudgePrompt(o.Task, o.Response), 0))], Greedy, SandboxLimits.JudgeMaxNewTokens);
        var ownJudged = own.Select((o, i) => new JudgedResponse(o.Task, o.Response, ownJudgments[i].Completion)).ToList();
        var ownCatch = CriterionCatchRates.Compute(ownJudged);
        bool Rejects(JudgedResponse j) => JudgeScoreParser.Parse(j.Judgment) is { IsValid: true } score && score.Score < Rubric.CriterionCount;
        var caught = Ratio.Of(ownJudged.Where(j => !Rubric.IsCorrect(j.Task, j.Response)).Select(Rejects));
        var falseRejects = Ratio.Of(ownJudged.Where(j => Rubric.IsCorrect(j.Task, j.Response)).Select(Rejects));

        // Meta-judge: two sampled judgments of each task's first own answer; where they differ, both orders.
        var metaOwn = perTask.Take(metaItems).Select(p => (p.Task, Response: p.Samples[0])).ToList();
        var pairJudgments = Sample(
            [.. metaOwn.SelectMany((o, i) => Enumerable.Range(0, 2).Select(j => new SampleRequest(JudgePrompt(o.Task, o.Response), StepSeeds.For(seed, 0, StepSeeds.Evaluate, "judge/" + i, j))))],
            Sampled,
            SandboxLimits.JudgeMaxNewTokens);
        var shown = metaOwn.SelectMany((o, i) => new[] { (o.Task, o.Response, A: pairJudgments[2 * i], B: pairJudgments[(2 * i) + 1]), (o.Task, o.Response, A: pairJudgments[(2 * i) + 1], B: pairJudgments[2 * i]) })
            .Where(s => !string.Equals(s.A.Text, s.B.Text, StringComparison.Ordinal))
            .ToList();
        var verdicts = Sample(
            [.. shown.Select(s => new SampleRequest(templates.MetaJudge.Render(new TemplateValues(s.Task.Prompt, s.Response, s.A.Text, s.B.Text)).Text, 0))],
            Greedy,
            SandboxLimits.MetaJudgeMaxNewTokens);
        var meta = MetaJudgeDiagnostics.Evaluate(
            [.. shown.Select((s, i) => new MetaJudgedPair(s.Task, s.Response, s.A.Completion, s.B.Completion, verdicts[i].Completion))]);

        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["actorAccuracy"] = actor.GreedyAccuracy,
            ["actorAccuracyLow"] = greedyInterval.Low,
            ["actorAccuracyHigh"] = greedyInterval.High,
            ["actorSampledAccuracy"] = actor.SampledAccuracy,
            ["actorSampledAccuracyLow"] = sampledInterval.Low,
            ["actorSampledAccuracyHigh"] = sampledInterval.High,
            ["passAtK"] = actor.PassAtK,
            ["evaluationTasks"] = n,
            ["truncationRate"] = truncated / (double)(greedy.Count + sampled.Count),
            ["judgeAgreement"] = judge.Exact,
            ["judgeWithinOne"] = judge.WithinOne,
            ["judgeSpearman"] = judge.Spearman,
            ["judgeParseRate"] = judge.ParseRate,
            ["ownFailedSamples"] = caught.Total,
            ["metaJudgePairs"] = shown.Count,
        };
        AddRate(metrics, "judgeCatchRate", caught);
        AddRate(metrics, "judgeFalseRejectRate", falseRejects);
        foreach (var criterion in ownCatch)
        {
            AddRate(metrics, "judgeCatch." + MetricName(criterion.Criterion), criterion.Caught);
        }

        AddRate(metrics, "metaJudgeAccuracy", meta.Accuracy);
        AddRate(metrics, "metaJudgeHigherScoreRate", meta.HigherScorePreference);
        AddRate(metrics, "metaJudgePositionARate", meta.PositionARate);
        return new EvaluationReport
        {
            Metrics = metrics,
            Actor = actor,
            Judge = judge,
            CatchRates = labelledCatch,
            OwnSampleCatchRates = ownCatch,
            MetaJudge = meta,
        };
    }

    /// <summary>The first <paramref name="count"/> distinct tasks of the evaluation split (fewer when the family has fewer).</summary>
    internal static IReadOnlyList<ISandboxTask> DistinctTasks(SandboxSettings settings, int count)
    {
        var source = new TaskSource(settings);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tasks = new List<ISandboxTask>(count);
        for (long i = 0; tasks.Count < count && i < (long)count * DrawsPerTask; i++)
        {
            var task = source.Get(DatasetSplit.Evaluation, i);
            if (seen.Add(task.Prompt))
            {
                tasks.Add(task);
            }
        }

        return tasks;
    }

    /// <summary>A criterion name as a metric key: <c>no repeat</c> → <c>noRepeat</c>.</summary>
    internal static string MetricName(string criterion)
    {
        var words = criterion.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(words.Select((w, i) => i == 0 ? w : char.ToUpper(w[0], CultureInfo.InvariantCulture) + w[1..]));
    }

    private static void AddRate(SortedDictionary<string, double> metrics, string key, Ratio ratio)
    {
        if (ratio.Rate is { } rate)
        {
            metrics[key] = rate;
        }
    }
}
