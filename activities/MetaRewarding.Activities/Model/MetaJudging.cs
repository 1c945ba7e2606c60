using System.Globalization;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Pairs;
using MetaRewarding.Sandbox;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// MetaJudge: per prompt of one shard, the battles Alignment's <see cref="PromptBattles.Plan"/> lists (the
/// response <see cref="BattleTarget"/> selects, the one rule pair building also calls, so the battles on file are
/// exactly the ones BuildPairs expects; its distinct valid judgments in both orders) through the meta-judge template.
/// Ids: <c>{responseId}/m{b}</c>. A prompt without a response whose judges disagree gets no battles (pair
/// building counts it).
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
                requests.Add(new SampleRequest(text, StepSeeds.For(run.Configuration.Seed, context.Iteration, StepSeeds.MetaJudge, plan.Response.Id, b)));
            }
        }

        var texts = cache.Use(store, context.Model, model => CompletionSampler.Sample(
            model,
            requests,
            CompletionSampler.Options(model, settings.MetaJudgeSampling, run.IsSandbox ? SandboxLimits.MetaJudgeMaxNewTokens : null, options.GenerationBatchSize),
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
}
