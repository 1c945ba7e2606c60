using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Modeling.Generation;

namespace MetaRewarding.Activities.Model;

/// <summary>One sample to draw: its prompt (already rendered by a role template), its seed, and the id of the record it becomes (the <c>openai</c> backend's resume key).</summary>
internal readonly record struct SampleRequest(string UserText, long Seed, string Id = "");

/// <summary>A sampled completion: its text and why it ended (a <see cref="CompletionFinish"/> name, as the artifacts store it).</summary>
internal readonly record struct SampledCompletion(string Text, string FinishReason)
{
    /// <summary>What the parsers read: a truncated or skipped completion gives no score and no verdict.</summary>
    public ModelCompletion Completion => new(Text, FinishReason);

    /// <summary>Ended by itself (eos or stop): the only completions that are judged, paired or battled.</summary>
    public bool Complete => CompletionFinish.IsComplete(FinishReason);

    /// <summary>The artifact name of the engine's finish reason (the engine's names are the artifacts' names).</summary>
    public static string FinishName(FinishReason reason) => FinishReasons.Name(reason);
}

/// <summary>
/// Samples completions through the engine's continuous batcher in ONE generate call per step, so a finished row's place
/// goes to the next request at once and requests that share a prompt prefix (the K samples of a prompt, the N
/// judgments of a response, the battles of one response) compute it once — callers list such requests next to each
/// other (docs/GENERATION.md). Each request's draws come from its own seed only, so results do not depend on batching.
/// A request whose prompt plus max new tokens exceeds the model's context is not generated: it comes back empty with
/// finish reason <c>context</c>, counted downstream, never run past the positions the model was trained on.
/// </summary>
internal static class CompletionSampler
{
    /// <summary>Decoding options for <paramref name="settings"/> (temperature 0 = greedy), capped at <paramref name="maxNewTokensCap"/> when given.</summary>
    public static GenerationOptions Options(LoadedModel model, SamplingSettings settings, int? maxNewTokensCap, int batchSize) => new()
    {
        Greedy = settings.Temperature == 0,
        Temperature = settings.Temperature == 0 ? 1.0 : settings.Temperature,
        TopP = settings.TopP,
        MaxNewTokens = MaxNewTokens(settings, maxNewTokensCap),
        EosTokenIds = model.Engine.StopTokenIds,
        BatchSize = batchSize,
        PadTokenId = model.PadTokenId,
    };

    /// <summary>The settings' max new tokens, capped at <paramref name="cap"/> when given (the sandbox's context).</summary>
    public static int MaxNewTokens(SamplingSettings settings, int? cap) => cap is { } limit ? Math.Min(limit, settings.MaxNewTokens) : settings.MaxNewTokens;

    /// <summary>The completion of every request, in order; <paramref name="onProgress"/> hears how many are done.</summary>
    public static IReadOnlyList<SampledCompletion> Sample(
        LoadedModel model, IReadOnlyList<SampleRequest> requests, GenerationOptions options, Action<int> onProgress, CancellationToken cancellationToken) =>
        Sample(model, requests, options, onProgress, cancellationToken, out _);

    /// <summary>
    /// One model step of a shard (generate, judge, meta-judge): samples every request, heartbeating how many are done,
    /// then once more with how many prompt tokens were computed and how many were shared.
    /// </summary>
    public static IReadOnlyList<SampledCompletion> SampleStep(
        LoadedModel model, IReadOnlyList<SampleRequest> requests, GenerationOptions options, string step, ActivityHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(heartbeat);
        var completions = Sample(
            model, requests, options, done => heartbeat.Report(new StepProgress(step, done, requests.Count)), heartbeat.CancellationToken, out var statistics);
        heartbeat.Report(new StepProgress(step, requests.Count, requests.Count)
        {
            PrefillTokens = statistics.PrefillTokens,
            ReusedPrefixTokens = statistics.ReusedPrefixTokens,
        });
        return completions;
    }

    /// <summary>As above; <paramref name="statistics"/> says how many prompt tokens were computed and how many shared.</summary>
    public static IReadOnlyList<SampledCompletion> Sample(
        LoadedModel model, IReadOnlyList<SampleRequest> requests, GenerationOptions options, Action<int> onProgress, CancellationToken cancellationToken,
        out BatchingStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(onProgress);
        cancellationToken.ThrowIfCancellationRequested();
        var completions = new SampledCompletion[requests.Count];
        var generated = new List<int>(requests.Count);
        var batch = new List<GenerationRequest>(requests.Count);
        string? lastText = null;
        int[] lastIds = [];
        for (var i = 0; i < requests.Count; i++)
        {
            // Requests sharing a prompt are listed together: tokenize each distinct prompt once.
            if (!string.Equals(requests[i].UserText, lastText, StringComparison.Ordinal))
            {
                (lastText, lastIds) = (requests[i].UserText, model.PromptIds(requests[i].UserText));
            }

            if (ContextWindow.Problem(model.Model.Config, lastIds.Length, options.MaxNewTokens) is not null)
            {
                completions[i] = new SampledCompletion("", CompletionFinish.Context);
                continue;
            }

            generated.Add(i);
            batch.Add(new GenerationRequest { PromptIds = lastIds, Seed = requests[i].Seed });
        }

        var skipped = requests.Count - generated.Count;
        var generator = model.Engine.CreateGenerator();
        var results = generator.Generate(batch, options, new SyncProgress<int>(done => onProgress(skipped + done)), cancellationToken);
        statistics = generator.LastStatistics;
        for (var j = 0; j < results.Count; j++)
        {
            completions[generated[j]] = new SampledCompletion(results[j].Text ?? model.Decode(results[j].CompletionIds), SampledCompletion.FinishName(results[j].FinishReason));
        }

        onProgress(requests.Count);
        return completions;
    }
}
