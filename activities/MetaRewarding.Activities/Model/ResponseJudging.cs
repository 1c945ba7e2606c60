using System.Globalization;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Pairs;
using MetaRewarding.Alignment.Templates;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Formats;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// JudgeResponses: N judgments per distinct response of one shard (an exact duplicate of an earlier response to the
/// same prompt is not judged) with the judge template (judgment ids
/// <c>{responseId}/j{n}</c>), only the generated text kept, so the score is parsed from the judge's words and never
/// from the prompt (which contains the response). In oracle mode (sandbox only) each response gets one judgment:
/// the rubric's marks and true score in the sandbox's judgment format (<c>++-+- Score: 3</c>), so everything
/// downstream is unchanged; one, because the oracle is deterministic and N copies would add nothing.
/// </summary>
internal sealed class ResponseJudging(ArtifactStore store, LoadedModelCache cache, ModelActivitiesOptions options)
{
    public async Task<ArtifactRef> RunAsync(ShardInput input, RunDefinition run, ActivityHeartbeat heartbeat)
    {
        var context = input.Context;
        var output = JsonlArtifacts.ShardPath(context.RunId, context.Iteration, "judgments", input.Shard);
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
        var records = run.Input.JudgeMode == JudgeMode.Oracle
            ? OracleJudgments(run, responses, prompts)
            : ModelJudgments(run, context, responses, prompts, heartbeat);
        return await JsonlArtifacts.WriteAsync(store, output, records, DatasetJsonContext.Default.JudgmentRecord, heartbeat.CancellationToken);
    }

    private static List<JudgmentRecord> OracleJudgments(RunDefinition run, List<ResponseRecord> responses, Dictionary<string, string> prompts)
    {
        if (!run.IsSandbox)
        {
            throw new ConfigurationException("judgeMode 'oracle' needs a sandbox run (only sandbox tasks have a ground truth); use judgeMode 'model'");
        }

        return
        [
            .. responses.Select(response => new JudgmentRecord
            {
                Id = response.Id + "/j0",
                PromptId = response.PromptId,
                ResponseId = response.Id,
                Text = JudgmentFormat.Format(Rubric.Marks(SandboxTasks.Parse(PromptOf(prompts, response)), response.Text)),
            }),
        ];
    }

    private List<JudgmentRecord> ModelJudgments(
        RunDefinition run, IterationContext context, List<ResponseRecord> responses, Dictionary<string, string> prompts, ActivityHeartbeat heartbeat)
    {
        var settings = run.Iteration(context.Iteration);
        var n = settings.JudgmentsPerResponse;
        var requests = new List<SampleRequest>(responses.Count * n);
        foreach (var response in responses)
        {
            var text = run.Templates.Judge.Render(new TemplateValues(PromptOf(prompts, response), response.Text)).Text;
            for (var j = 0; j < n; j++)
            {
                requests.Add(new SampleRequest(text, StepSeeds.For(run.Configuration.Seed, context.Iteration, StepSeeds.Judge, response.Id, j)));
            }
        }

        var texts = cache.Use(store, context.Model, model => CompletionSampler.Sample(
            model,
            requests,
            CompletionSampler.Options(model, settings.JudgeSampling, run.IsSandbox ? SandboxLimits.JudgeMaxNewTokens : null, options.GenerationBatchSize),
            done => heartbeat.Report(new StepProgress(StepSeeds.Judge, done, requests.Count)),
            heartbeat.CancellationToken));
        return
        [
            .. responses.SelectMany((response, r) => Enumerable.Range(0, n).Select(j => new JudgmentRecord
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"{response.Id}/j{j}"),
                PromptId = response.PromptId,
                ResponseId = response.Id,
                Text = texts[(r * n) + j],
            })),
        ];
    }

    internal static string PromptOf(Dictionary<string, string> prompts, ResponseRecord response) =>
        prompts.TryGetValue(response.PromptId, out var prompt)
            ? prompt
            : throw new ArtifactMissingException(
                "iteration-{t}/prompts.jsonl", null, $"no prompt '{response.PromptId}' for response '{response.Id}' (the responses belong to another slice)");
}
