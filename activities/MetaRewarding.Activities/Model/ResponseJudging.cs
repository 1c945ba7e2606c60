using System.Globalization;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Pairs;
using MetaRewarding.Alignment.Templates;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// JudgeResponses: N judgments per distinct response of one shard (an exact duplicate of an earlier response to the
/// same prompt is not judged) with the judge template (judgment ids
/// <c>{responseId}/j{n}</c>), only the generated text kept, so the score is parsed from the judge's words and never
/// from the prompt (which contains the response). In oracle mode (a source with ground truth only) each response
/// gets one judgment: the oracle's, in the judge's own format (<c>+++-+ bd Score: 4</c>), so everything downstream
/// is unchanged; one, because the oracle is deterministic and N copies would add nothing. In random mode (the
/// judge-free baseline) each response gets one <c>Score: k</c> with k drawn uniformly from 0–5 by its seed.
/// </summary>
internal sealed class ResponseJudging(ArtifactStore store, LoadedModelCache cache, ModelActivitiesOptions options)
{
    private const string Folder = "judgments";

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
            throw new ConfigurationException($"JudgeResponses takes one input (the shard's responses), got {input.Inputs.Count}");
        }

        var policy = run.Configuration.MalformedLines;
        // An exact duplicate of an earlier response to the same prompt is never judged: pair building drops it anyway
        // (and counts it), so its N judgments would be wasted (docs/ALGORITHM.md step 2).
        var responses = DuplicateResponses.Drop(JsonlArtifacts.Read(store, input.Inputs[0], DatasetJsonContext.Default.ResponseRecord, policy));
        var prompts = JsonlArtifacts.IterationPrompts(store, context.RunId, context.Iteration, policy);
        Task<ArtifactRef> Write(IEnumerable<JudgmentRecord> records) =>
            JsonlArtifacts.WriteAsync(store, output, records, DatasetJsonContext.Default.JudgmentRecord, heartbeat.CancellationToken);
        return run.Input.JudgeMode switch
        {
            JudgeMode.Oracle => await Write(OracleJudgments(run, responses, prompts)),
            JudgeMode.Random => await Write(RandomJudgments(run, context, responses)),
            _ => await ModelJudgmentsAsync(run, input, responses, prompts, heartbeat, Write),
        };
    }

    private static List<JudgmentRecord> OracleJudgments(RunDefinition run, List<ResponseRecord> responses, Dictionary<string, string> prompts)
    {
        var oracle = run.Source.Oracle
            ?? throw new ConfigurationException("judgeMode 'oracle' needs a sandbox run (only sandbox tasks have a ground truth); use judgeMode 'model'");

        return
        [
            .. responses.Select(response => new JudgmentRecord
            {
                Id = JudgmentId(response.Id, 0),
                PromptId = response.PromptId,
                ResponseId = response.Id,
                Text = oracle.Judgment(PromptOf(prompts, response), response.Text),
            }),
        ];
    }

    private static List<JudgmentRecord> RandomJudgments(RunDefinition run, IterationContext context, List<ResponseRecord> responses) =>
    [
        .. responses.Select(response => new JudgmentRecord
        {
            Id = JudgmentId(response.Id, 0),
            PromptId = response.PromptId,
            ResponseId = response.Id,
            Text = string.Create(CultureInfo.InvariantCulture, $"Score: {(ulong)StepSeeds.For(run.Configuration.Seed, context.Iteration, StepSeeds.Judge, response.Id) % 6}"),
        }),
    ];

    private Task<ArtifactRef> ModelJudgmentsAsync(
        RunDefinition run, ShardInput input, List<ResponseRecord> responses, Dictionary<string, string> prompts, ActivityHeartbeat heartbeat,
        Func<IEnumerable<JudgmentRecord>, Task<ArtifactRef>> write)
    {
        var context = input.Context;
        var settings = run.Iteration(context.Iteration);
        var n = settings.JudgmentsPerResponse;
        // A truncated or skipped response is never paired nor battled (Alignment's CompletionFinish): judging it would
        // spend N generations on nothing, so it gets no judgments.
        responses = responses.FindAll(r => CompletionFinish.IsComplete(r.FinishReason));
        var requests = new List<SampleRequest>(responses.Count * n);
        foreach (var response in responses)
        {
            var text = run.Templates.Judge.Render(new TemplateValues(PromptOf(prompts, response), response.Text)).Text;
            for (var j = 0; j < n; j++)
            {
                requests.Add(new SampleRequest(text, StepSeeds.For(run.Configuration.Seed, context.Iteration, StepSeeds.Judge, response.Id, j), JudgmentId(response.Id, j)));
            }
        }

        var work = new ShardWork(context, input.Shard, StepSeeds.Judge, Folder, requests, settings.JudgeSampling, run.Source.GenerationCap(TemplateRole.Judge));
        return new ShardSampling(store, cache, options).SampleAndWriteAsync(work, run, heartbeat, texts => write(
            responses.SelectMany((response, r) => Enumerable.Range(0, n).Select(j => new JudgmentRecord
            {
                Id = JudgmentId(response.Id, j),
                PromptId = response.PromptId,
                ResponseId = response.Id,
                Text = texts[(r * n) + j].Text,
                FinishReason = texts[(r * n) + j].FinishReason,
            }))));
    }

    private static string JudgmentId(string responseId, int n) => string.Create(CultureInfo.InvariantCulture, $"{responseId}/j{n}");

    internal static string PromptOf(Dictionary<string, string> prompts, ResponseRecord response) =>
        prompts.TryGetValue(response.PromptId, out var prompt)
            ? prompt
            : throw new ArtifactMissingException(
                "iteration-{t}/prompts.jsonl", null, $"no prompt '{response.PromptId}' for response '{response.Id}' (the responses belong to another slice)");
}
