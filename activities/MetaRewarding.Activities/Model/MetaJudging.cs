using System.Globalization;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Elo;
using MetaRewarding.Alignment.Pairs;
using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Alignment.Scoring;
using MetaRewarding.Alignment.Templates;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// MetaJudge: per prompt of one shard, the response whose valid judgment scores vary most (Alignment's
/// <see cref="JudgeResponseSelector"/>, with the same seeded tie-break, duplicate-response removal and
/// distinct-valid-judgment rule as pair building, so the battles on file are exactly the ones BuildPairs expects),
/// then every pair of its distinct valid judgments in both orders (<see cref="BattlePlan"/>) through the
/// meta-judge template — or, with <c>metaJudgeMode: oracle</c> (a source with ground truth only), the oracle's
/// verdict in the meta-judge's format. Ids: <c>{responseId}/m{b}</c>. A prompt without a response with two distinct valid
/// judgments gets no battles (pair building counts it).
/// </summary>
internal sealed class MetaJudging(ArtifactStore store, LoadedModelCache cache, ModelActivitiesOptions options)
{
    public async Task<ArtifactRef> RunAsync(ShardInput input, RunDefinition run, ActivityHeartbeat heartbeat)
    {
        var context = input.Context;
        var output = JsonlArtifacts.ShardPath(context.RunId, context.Iteration, "meta-judgments", input.Shard);
        if (store.TryGetFile(output) is { } done)
        {
            return done;
        }

        if (input.Inputs.Count != 2)
        {
            throw new ConfigurationException($"MetaJudge takes two inputs (the shard's responses and judgments), got {input.Inputs.Count}");
        }

        var policy = run.Configuration.MalformedLines;
        var responses = JsonlArtifacts.Read(store, input.Inputs[0], DatasetJsonContext.Default.ResponseRecord, policy);
        var judgments = JsonlArtifacts.Read(store, input.Inputs[1], DatasetJsonContext.Default.JudgmentRecord, policy);
        var prompts = JsonlArtifacts.IterationPrompts(store, context.RunId, context.Iteration, policy);
        var plans = PlanBattles(run.Configuration.Seed, context.Iteration, responses, judgments);

        var settings = run.Iteration(context.Iteration);
        var requests = new List<SampleRequest>();
        foreach (var plan in plans)
        {
            var prompt = ResponseJudging.PromptOf(prompts, plan.Response);
            for (var b = 0; b < plan.Battles.Length; b++)
            {
                var battle = plan.Battles[b];
                var text = run.Templates.MetaJudge.Render(new TemplateValues(
                    prompt, plan.Response.Text, plan.Judgments[battle.First].Text, plan.Judgments[battle.Second].Text)).Text;
                requests.Add(new SampleRequest(text, StepSeeds.For(run.Configuration.Seed, context.Iteration, StepSeeds.MetaJudge, plan.Response.Id, b)));
            }
        }

        var texts = run.Input.MetaJudgeMode == MetaJudgeMode.Oracle
            ? OracleVerdicts(run, plans, prompts)
            : cache.Use(store, context.Model, model => CompletionSampler.Sample(
                model,
                requests,
                CompletionSampler.Options(model, settings.MetaJudgeSampling, run.Source.GenerationCap(TemplateRole.MetaJudge), options.GenerationBatchSize),
                done => heartbeat.Report(new StepProgress(StepSeeds.MetaJudge, done, requests.Count)),
                heartbeat.CancellationToken));

        var records = new List<MetaJudgmentRecord>(texts.Count);
        foreach (var plan in plans)
        {
            for (var b = 0; b < plan.Battles.Length; b++)
            {
                var battle = plan.Battles[b];
                records.Add(new MetaJudgmentRecord
                {
                    Id = string.Create(CultureInfo.InvariantCulture, $"{plan.Response.Id}/m{b}"),
                    PromptId = plan.Response.PromptId,
                    ResponseId = plan.Response.Id,
                    JudgmentAId = plan.Judgments[battle.First].Id,
                    JudgmentBId = plan.Judgments[battle.Second].Id,
                    Text = texts[records.Count],
                });
            }
        }

        return await JsonlArtifacts.WriteAsync(store, output, records, DatasetJsonContext.Default.MetaJudgmentRecord, heartbeat.CancellationToken);
    }

    /// <summary>The oracle meta-judge's text for every planned battle, in the order of the requests.</summary>
    private static IReadOnlyList<string> OracleVerdicts(RunDefinition run, List<BattlePlanForPrompt> plans, Dictionary<string, string> prompts)
    {
        var oracle = run.Source.Oracle
            ?? throw new ConfigurationException("metaJudgeMode 'oracle' needs a sandbox run (only sandbox tasks have a ground truth); use metaJudgeMode 'model'");
        return
        [
            .. plans.SelectMany(plan => plan.Battles.Select(battle => oracle.MetaJudgment(
                ResponseJudging.PromptOf(prompts, plan.Response), plan.Response.Text, plan.Judgments[battle.First].Text, plan.Judgments[battle.Second].Text))),
        ];
    }

    /// <summary>One prompt's battles: the selected response, its distinct valid judgments, and the battle order.</summary>
    internal sealed record BattlePlanForPrompt(ResponseRecord Response, IReadOnlyList<JudgmentRecord> Judgments, Battle[] Battles);

    /// <summary>The battles of every prompt that has a selectable response, in prompt (file) order.</summary>
    internal static List<BattlePlanForPrompt> PlanBattles(long runSeed, int iteration, List<ResponseRecord> responses, List<JudgmentRecord> judgments)
    {
        var judgmentsByResponse = judgments.GroupBy(j => j.ResponseId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var plans = new List<BattlePlanForPrompt>();
        foreach (var group in responses.GroupBy(r => r.PromptId, StringComparer.Ordinal))
        {
            // As pair building: the first response of each text is kept, duplicates (and their judgments) are dropped.
            var kept = new List<ResponseRecord>();
            foreach (var response in group)
            {
                if (!kept.Exists(r => string.Equals(r.Text, response.Text, StringComparison.Ordinal)))
                {
                    kept.Add(response);
                }
            }

            var candidates = new JudgeCandidate[kept.Count];
            var distinct = new List<JudgmentRecord>[kept.Count];
            for (var i = 0; i < kept.Count; i++)
            {
                var judged = judgmentsByResponse.GetValueOrDefault(kept[i].Id) ?? [];
                var parsed = judged.Select(j => (Record: j, Score: JudgeScoreParser.Parse(new ModelCompletion(j.Text)))).ToList();
                var scores = parsed.Select(p => p.Score.IsValid ? p.Score.Score : double.NaN).ToArray();
                distinct[i] = [];
                foreach (var (record, score) in parsed)
                {
                    if (score.IsValid && !distinct[i].Exists(d => string.Equals(d.Text, record.Text, StringComparison.Ordinal)))
                    {
                        distinct[i].Add(record);
                    }
                }

                candidates[i] = new JudgeCandidate(ResponseScore.FromScores(scores), distinct[i].Count);
            }

            var random = DeterministicRandom.For(runSeed, iteration, "judge-response", group.Key);
            var selected = JudgeResponseSelector.Select(candidates, ref random);
            if (selected >= 0)
            {
                plans.Add(new BattlePlanForPrompt(kept[selected], distinct[selected], BattlePlan.Create(distinct[selected].Count)));
            }
        }

        return plans;
    }
}
