using System.Globalization;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Pairs;
using MetaRewarding.Alignment.Templates;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// MetaJudge: per prompt of one shard, the battles Alignment's <see cref="PromptBattles.Plan"/> lists (the
/// response <see cref="BattleTarget"/> selects, the one rule pair building also calls, so the battles on file are
/// exactly the ones BuildPairs expects; its distinct valid judgments in both orders) through the meta-judge template
/// — or, with <c>metaJudgeMode: oracle</c> (a source with ground truth only), the oracle's verdict in the
/// meta-judge's format. Ids: <c>{responseId}/m{b}</c>. A prompt without a response whose judges disagree gets no battles (pair
/// building counts it).
/// </summary>
internal sealed class MetaJudging(ArtifactStore store, LoadedModelCache cache, ModelActivitiesOptions options)
{
    private const string Folder = "meta-judgments";

    public async Task<ArtifactRef> RunAsync(ShardInput input, RunDefinition run, ActivityHeartbeat heartbeat)
    {
        var context = input.Context;
        var output = JsonlArtifacts.ShardPath(context.RunId, context.Iteration, Folder, input.Shard);
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
        var plans = PromptBattles.Plan(run.Configuration.Seed, context.Iteration, responses, judgments);

        var settings = run.Iteration(context.Iteration);

        var requests = new List<SampleRequest>();
        foreach (var plan in plans)
        {
            var prompt = ResponseJudging.PromptOf(prompts, plan.Response);
            for (var b = 0; b < plan.Battles.Length; b++)
            {
                var battle = plan.Battles[b];
                var text = run.Templates.MetaJudge.Render(plan.Values(prompt, battle, settings.JudgePairs.HideScoresFromMetaJudge)).Text;
                requests.Add(new SampleRequest(text, StepSeeds.For(run.Configuration.Seed, context.Iteration, StepSeeds.MetaJudge, plan.Response.Id, b), MetaJudgmentId(plan.Response.Id, b)));
            }
        }

        Task<ArtifactRef> Write(IEnumerable<MetaJudgmentRecord> records) =>
            JsonlArtifacts.WriteAsync(store, output, records, DatasetJsonContext.Default.MetaJudgmentRecord, heartbeat.CancellationToken);
        if (run.Input.MetaJudgeMode == MetaJudgeMode.Oracle)
        {
            // The oracle's verdicts are not generated, so they have no finish reason (as the oracle judge's).
            var verdicts = OracleVerdicts(run, plans, prompts);
            return await Write(Records(plans, b => (verdicts[b], null)));
        }

        var work = new ShardWork(context, input.Shard, StepSeeds.MetaJudge, Folder, requests, settings.MetaJudgeSampling, run.Source.GenerationCap(TemplateRole.MetaJudge));
        return await new ShardSampling(store, cache, options).SampleAndWriteAsync(
            work, run, heartbeat, texts => Write(Records(plans, b => (texts[b].Text, texts[b].FinishReason))));
    }

    /// <summary>One record per planned battle, in the order of the requests; <paramref name="completion"/> gives the b-th text.</summary>
    private static List<MetaJudgmentRecord> Records(List<PromptBattles> plans, Func<int, (string Text, string? FinishReason)> completion)
    {
        var records = new List<MetaJudgmentRecord>();
        foreach (var plan in plans)
        {
            for (var b = 0; b < plan.Battles.Length; b++)
            {
                var battle = plan.Battles[b];
                var (text, finishReason) = completion(records.Count);
                records.Add(new MetaJudgmentRecord
                {
                    Id = MetaJudgmentId(plan.Response.Id, b),
                    PromptId = plan.Response.PromptId,
                    ResponseId = plan.Response.Id,
                    JudgmentAId = plan.Judgments[battle.First].Id,
                    JudgmentBId = plan.Judgments[battle.Second].Id,
                    Text = text,
                    FinishReason = finishReason,
                });
            }
        }

        return records;
    }

    private static string MetaJudgmentId(string responseId, int b) => string.Create(CultureInfo.InvariantCulture, $"{responseId}/m{b}");

    /// <summary>The oracle meta-judge's text for every planned battle, in the order of the requests.</summary>
    private static IReadOnlyList<string> OracleVerdicts(RunDefinition run, List<PromptBattles> plans, Dictionary<string, string> prompts)
    {
        var oracle = run.Source.Oracle
            ?? throw new ConfigurationException("metaJudgeMode 'oracle' needs a sandbox run (only sandbox tasks have a ground truth); use metaJudgeMode 'model'");
        return
        [
            .. plans.SelectMany(plan => plan.Battles.Select(battle => oracle.MetaJudgment(
                ResponseJudging.PromptOf(prompts, plan.Response), plan.Response.Text, plan.Judgments[battle.First].Text, plan.Judgments[battle.Second].Text))),
        ];
    }
}
