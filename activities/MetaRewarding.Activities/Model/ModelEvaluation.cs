using System.Text.Json;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Alignment.Templates;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Evaluation;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// Evaluate: writes <c>evaluation/{label}.json</c> (metrics plus the detailed figures behind them) and returns the
/// metrics. Every checkpoint of a run is measured on the same prompts with the same seeds (no label or iteration in
/// them), so differences between labels are the model's, not the dice's.
/// <para>Sandbox (ground truth known): the actor's greedy and sampled (temperature 1) answers on the evaluation
/// split — <c>actorAccuracy</c> (greedy), <c>actorSampledAccuracy</c>, <c>passAtK</c> (k = samples per prompt); the
/// greedy judge on the fixed labelled set — <c>judgeAgreement</c> (exact), <c>judgeWithinOne</c>,
/// <c>judgeSpearman</c>, <c>judgeParseRate</c>; the greedy meta-judge, in both orders, on pairs of the model's own
/// sampled judgments of a quarter of that set — <c>metaJudgeAccuracy</c>, <c>metaJudgeHigherScoreRate</c>,
/// <c>metaJudgePositionARate</c>. A rate with nothing to count (e.g. no parsable verdict) is left out rather than NaN.</para>
/// <para>Real run (no labels): on held-out pool prompts (after every iteration's slice, else the pool's last
/// ones) the greedy response and the model's own greedy judgment of it — <c>judgeParseRate</c>,
/// <c>meanSelfScore</c> (over parsable judgments) and <c>meanResponseChars</c>. Quality against humans needs an
/// external benchmark (AlpacaEval, Arena-Hard), outside this activity.</para>
/// </summary>
internal sealed class ModelEvaluation(ArtifactStore store, LoadedModelCache cache, ModelActivitiesOptions options)
{
    private static readonly SamplingSettings GreedySettings = new() { Temperature = 0, TopP = 1 };
    private static readonly SamplingSettings SampledSettings = new() { Temperature = 1, TopP = 1 };

    public async Task<EvaluationOutput> RunAsync(EvaluationInput input, RunDefinition run, ActivityHeartbeat heartbeat)
    {
        if (string.IsNullOrWhiteSpace(input.Label) || input.Label.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new ConfigurationException($"evaluation label must be letters, digits, '-', '_' or '.', got '{input.Label}'");
        }

        var output = ArtifactStore.RunPath(input.RunId, "evaluation", input.Label + ".json");
        if (store.TryGetFile(output) is { } existing)
        {
            var report = JsonSerializer.Deserialize<EvaluationHeader>(await store.ReadAllTextAsync(existing, heartbeat.CancellationToken), ArtifactJson.Options);
            if (report is not null && report.Model.Sha256 == input.Model.Sha256)
            {
                return new EvaluationOutput(input.Label, report.Metrics, existing);
            }
        }

        var details = cache.Use(store, input.Model, model => run.Sandbox is { } sandbox
            ? SandboxMetrics(model, run, sandbox, heartbeat)
            : RealMetrics(model, run, input.RunId, heartbeat));
        var written = await store.WriteJsonAsync(output, details with { Label = input.Label, Model = input.Model }, ArtifactJson.Options, heartbeat.CancellationToken);
        return new EvaluationOutput(input.Label, details.Metrics, written);
    }

    private EvaluationReport SandboxMetrics(LoadedModel model, RunDefinition run, SandboxSettings settings, ActivityHeartbeat heartbeat)
    {
        var sandbox = run.Input.Sandbox!;
        if (sandbox.EvaluationPrompts < 1 || sandbox.EvaluationSamples < 1)
        {
            throw new ConfigurationException($"sandbox.evaluationPrompts and sandbox.evaluationSamples must be >= 1, got {sandbox.EvaluationPrompts} and {sandbox.EvaluationSamples}");
        }

        var seed = run.Configuration.Seed;
        var templates = run.Templates;
        var ct = heartbeat.CancellationToken;
        var n = sandbox.EvaluationPrompts;
        var samples = sandbox.EvaluationSamples;
        var tasks = new TaskSource(settings).Take(DatasetSplit.Evaluation, n);
        var total = (long)n * (samples + 1) + n + (Math.Max(1, n / 4) * 4L);
        long done = 0;
        void Progress(int batchDone) => heartbeat.Report(new StepProgress(StepSeeds.Evaluate, done + batchDone, total));
        IReadOnlyList<string> Sample(IReadOnlyList<SampleRequest> requests, SamplingSettings sampling, int cap)
        {
            var texts = CompletionSampler.Sample(model, requests, CompletionSampler.Options(model, sampling, cap, options.GenerationBatchSize), Progress, ct);
            done += requests.Count;
            return texts;
        }

        // Actor: greedy, then `samples` draws per prompt.
        var actorPrompts = tasks.Select(t => templates.Actor.Render(new TemplateValues(t.Prompt)).Text).ToList();
        var greedy = Sample([.. actorPrompts.Select(p => new SampleRequest(p, 0))], GreedySettings, SandboxLimits.ActorMaxNewTokens);
        var sampled = Sample(
            [.. actorPrompts.SelectMany((p, i) => Enumerable.Range(0, samples).Select(s => new SampleRequest(p, StepSeeds.For(seed, 0, StepSeeds.Evaluate, "actor/" + i, s))))],
            SampledSettings,
            SandboxLimits.ActorMaxNewTokens);
        var actor = ActorEvaluation.Evaluate(
            [.. tasks.Select((t, i) => new ActorSamples(t, greedy[i], [.. sampled.Skip(i * samples).Take(samples)]))], samples);

        // Judge: greedy, on the fixed labelled set.
        var labelled = LabelledJudgeSet.Create(settings, n);
        var judgments = Sample(
            [.. labelled.Select(l => new SampleRequest(templates.Judge.Render(new TemplateValues(l.Task.Prompt, l.Response)).Text, 0))],
            GreedySettings,
            SandboxLimits.JudgeMaxNewTokens);
        var judged = labelled.Select((l, i) => new JudgedResponse(l.Task, l.Response, new ModelCompletion(judgments[i]))).ToList();
        var judge = JudgeAgreement.Evaluate(judged);
        var catchRates = CriterionCatchRates.Compute(judged);

        // Meta-judge, on-policy: two sampled judgments of each of the first quarter's responses, shown in both orders.
        var metaItems = labelled.Take(Math.Max(1, n / 4)).ToList();
        var own = Sample(
            [.. metaItems.SelectMany((l, i) => Enumerable.Range(0, 2).Select(j => new SampleRequest(
                templates.Judge.Render(new TemplateValues(l.Task.Prompt, l.Response)).Text, StepSeeds.For(seed, 0, StepSeeds.Evaluate, "judge/" + i, j))))],
            SampledSettings,
            SandboxLimits.JudgeMaxNewTokens);
        var shown = metaItems.SelectMany((l, i) => new[] { (Item: l, A: own[2 * i], B: own[(2 * i) + 1]), (Item: l, A: own[(2 * i) + 1], B: own[2 * i]) }).ToList();
        var verdicts = Sample(
            [.. shown.Select(s => new SampleRequest(templates.MetaJudge.Render(new TemplateValues(s.Item.Task.Prompt, s.Item.Response, s.A, s.B)).Text, 0))],
            GreedySettings,
            SandboxLimits.MetaJudgeMaxNewTokens);
        var meta = MetaJudgeDiagnostics.Evaluate(
            [.. shown.Select((s, i) => new MetaJudgedPair(s.Item.Task, s.Item.Response, new ModelCompletion(s.A), new ModelCompletion(s.B), new ModelCompletion(verdicts[i])))]);

        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["actorAccuracy"] = actor.GreedyAccuracy,
            ["actorSampledAccuracy"] = actor.SampledAccuracy,
            ["passAtK"] = actor.PassAtK,
            ["judgeAgreement"] = judge.Exact,
            ["judgeWithinOne"] = judge.WithinOne,
            ["judgeSpearman"] = judge.Spearman,
            ["judgeParseRate"] = judge.ParseRate,
        };
        AddRate(metrics, "metaJudgeAccuracy", meta.Accuracy);
        AddRate(metrics, "metaJudgeHigherScoreRate", meta.HigherScorePreference);
        AddRate(metrics, "metaJudgePositionARate", meta.PositionARate);
        return new EvaluationReport
        {
            Metrics = metrics,
            Actor = actor,
            Judge = judge,
            CatchRates = catchRates,
            MetaJudge = meta,
        };
    }

    private EvaluationReport RealMetrics(LoadedModel model, RunDefinition run, string runId, ActivityHeartbeat heartbeat)
    {
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
            [.. heldOut.Select((p, i) => new SampleRequest(run.Templates.Judge.Render(new TemplateValues(p.Prompt, responses[i])).Text, 0))],
            CompletionSampler.Options(model, judgeSettings, null, options.GenerationBatchSize),
            d => heartbeat.Report(new StepProgress(StepSeeds.Evaluate, heldOut.Count + d, 2L * heldOut.Count)),
            ct);
        var scores = judgments.Select(j => JudgeScoreParser.Parse(new ModelCompletion(j))).ToList();
        var valid = scores.Where(s => s.IsValid).Select(s => s.Score).ToList();
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["judgeParseRate"] = (double)valid.Count / heldOut.Count,
            ["meanResponseChars"] = responses.Average(r => (double)r.Length),
        };
        if (valid.Count > 0)
        {
            metrics["meanSelfScore"] = valid.Average();
        }

        return new EvaluationReport { Metrics = metrics, HeldOutPrompts = heldOut.Count };
    }

    private static void AddRate(SortedDictionary<string, double> metrics, string key, Ratio ratio)
    {
        if (ratio.Rate is { } rate)
        {
            metrics[key] = rate;
        }
    }

    /// <summary>What an earlier evaluation is recognised by: the model it measured, and its metrics.</summary>
    internal sealed record EvaluationHeader(ArtifactRef Model, Dictionary<string, double> Metrics);

    /// <summary>The content of <c>evaluation/{label}.json</c>.</summary>
    internal sealed record EvaluationReport
    {
        public string Label { get; init; } = "";

        public ArtifactRef Model { get; init; } = new("", "", 0);

        public required IReadOnlyDictionary<string, double> Metrics { get; init; }

        public ActorMetrics? Actor { get; init; }

        public JudgeAgreementMetrics? Judge { get; init; }

        public IReadOnlyList<CriterionCatchRate>? CatchRates { get; init; }

        public MetaJudgeMetrics? MetaJudge { get; init; }

        public int? HeldOutPrompts { get; init; }
    }
}
