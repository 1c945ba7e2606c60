using System.Globalization;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Templates;
using MetaRewarding.Sandbox;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// GenerateResponses: K samples per prompt of shard s of the iteration's slice (prompts [s·shardSize, (s+1)·shardSize)),
/// actor template → chat template → ids. All K are written, duplicates included: judging skips exact duplicates
/// and pair building drops and counts them (a health metric), both by Alignment's <c>DuplicateResponses</c>. Response ids are <c>{promptId}/r{k}</c>; lines are grouped by
/// prompt in slice order, as pair building streams them.
/// </summary>
internal sealed class ResponseGeneration(ArtifactStore store, LoadedModelCache cache, ModelActivitiesOptions options)
{
    public async Task<ArtifactRef> RunAsync(ShardInput input, RunDefinition run, ActivityHeartbeat heartbeat)
    {
        var context = input.Context;
        var output = JsonlArtifacts.ShardPath(context.RunId, context.Iteration, "responses", input.Shard);
        if (store.TryGetFile(output) is { } done)
        {
            return done;
        }

        if (input.Inputs.Count != 1)
        {
            throw new ConfigurationException($"GenerateResponses takes one input (the iteration's prompt slice), got {input.Inputs.Count}");
        }

        var settings = run.Iteration(context.Iteration);
        var shardSize = run.Configuration.ShardSize;
        var prompts = JsonlArtifacts.Read(store, input.Inputs[0], DatasetJsonContext.Default.PromptRecord, run.Configuration.MalformedLines)
            .Skip(input.Shard * shardSize).Take(shardSize).ToList();
        var k = settings.ResponsesPerPrompt;
        var requests = new List<SampleRequest>(prompts.Count * k);
        foreach (var prompt in prompts)
        {
            var text = run.Templates.Actor.Render(new TemplateValues(prompt.Prompt)).Text;
            for (var i = 0; i < k; i++)
            {
                requests.Add(new SampleRequest(text, StepSeeds.For(run.Configuration.Seed, context.Iteration, StepSeeds.Generate, prompt.Id, i)));
            }
        }

        var texts = cache.Use(store, context.Model, model => CompletionSampler.Sample(
            model,
            requests,
            CompletionSampler.Options(model, settings.ActorSampling, run.IsSandbox ? SandboxLimits.ActorMaxNewTokens : null, options.GenerationBatchSize),
            done => heartbeat.Report(new StepProgress(StepSeeds.Generate, done, requests.Count)),
            heartbeat.CancellationToken));

        var records = prompts.SelectMany((prompt, p) => Enumerable.Range(0, k).Select(i => new ResponseRecord
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{prompt.Id}/r{i}"),
            PromptId = prompt.Id,
            Text = texts[(p * k) + i],
        }));
        return await JsonlArtifacts.WriteAsync(store, output, records, DatasetJsonContext.Default.ResponseRecord, heartbeat.CancellationToken);
    }
}
