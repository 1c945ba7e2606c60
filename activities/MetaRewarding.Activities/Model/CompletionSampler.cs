using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Modeling.Generation;

namespace MetaRewarding.Activities.Model;

/// <summary>One sample to draw: its prompt (already rendered by a role template), its seed, and the id of the record it becomes (the <c>openai</c> backend's resume key).</summary>
internal readonly record struct SampleRequest(string UserText, long Seed, string Id = "");

/// <summary>A sample's text (the model's own words, never the prompt) and why it ended, whichever backend drew it.</summary>
internal readonly record struct SampledCompletion(string Text, FinishReason FinishReason);

/// <summary>
/// Samples completions in batches with the Generation API, checking cancellation and reporting progress between
/// batches. Each request's draws come from its own seed only, so results do not depend on batching.
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

    /// <summary>The completion text of every request, in order.</summary>
    public static IReadOnlyList<string> Sample(
        LoadedModel model, IReadOnlyList<SampleRequest> requests, GenerationOptions options, Action<int> onProgress, CancellationToken cancellationToken) =>
        [.. SampleCompletions(model, requests, options, onProgress, cancellationToken).Select(c => c.Text)];

    /// <summary>The completion of every request (text and finish reason), in order.</summary>
    public static IReadOnlyList<SampledCompletion> SampleCompletions(
        LoadedModel model, IReadOnlyList<SampleRequest> requests, GenerationOptions options, Action<int> onProgress, CancellationToken cancellationToken)
    {
        var generator = model.Engine.CreateGenerator();
        var texts = new List<SampledCompletion>(requests.Count);
        foreach (var chunk in requests.Chunk(options.BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var results = generator.Generate(
                [.. chunk.Select(r => new GenerationRequest { PromptIds = model.PromptIds(r.UserText), Seed = r.Seed })], options, cancellationToken);
            texts.AddRange(results.Select(r => new SampledCompletion(r.Text ?? model.Decode(r.CompletionIds), r.FinishReason)));
            onProgress(texts.Count);
        }

        return texts;
    }
}
