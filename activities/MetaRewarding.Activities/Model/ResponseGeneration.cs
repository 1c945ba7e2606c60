using System.Globalization;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Templates;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// GenerateResponses: K samples per prompt of shard s of the iteration's slice (prompts [s·shardSize, (s+1)·shardSize)),
/// actor template → chat template → ids. All K are written, duplicates included: judging skips exact duplicates
/// and pair building drops and counts them (a health metric), both by Alignment's <c>DuplicateResponses</c>. Response ids are <c>{promptId}/r{k}</c>; lines are grouped by
/// prompt in slice order, as pair building streams them.
/// </summary>
internal sealed class ResponseGeneration(ArtifactStore store, LoadedModelCache cache, ModelActivitiesOptions options)
{
    private const string Folder = "responses";

    public async Task<ArtifactRef> RunAsync(ShardInput input, RunDefinition run, ActivityHeartbeat heartbeat)
    {
        var context = input.Context;
        var output = JsonlArtifacts.ShardPath(context.RunId, context.Iteration, Folder, input.Shard);
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
                requests.Add(new SampleRequest(text, StepSeeds.For(run.Configuration.Seed, context.Iteration, StepSeeds.Generate, prompt.Id, i), ResponseId(prompt.Id, i)));
            }
        }

        var work = new ShardWork(context, input.Shard, StepSeeds.Generate, Folder, requests, settings.ActorSampling, run.Source.GenerationCap(TemplateRole.Actor));
        return await new ShardSampling(store, cache, options).SampleAndWriteAsync(work, run, heartbeat, texts =>
        {
            var records = prompts.SelectMany((prompt, p) => Enumerable.Range(0, k).Select(i => new ResponseRecord
            {
                Id = ResponseId(prompt.Id, i),
                PromptId = prompt.Id,
                Text = texts[(p * k) + i].Text,
                FinishReason = texts[(p * k) + i].FinishReason,
            }));
            return JsonlArtifacts.WriteAsync(store, output, records, DatasetJsonContext.Default.ResponseRecord, heartbeat.CancellationToken);
        });
    }

    private static string ResponseId(string promptId, int k) => string.Create(CultureInfo.InvariantCulture, $"{promptId}/r{k}");
}
