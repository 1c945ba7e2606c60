using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Modeling.Generation;

namespace MetaRewarding.Activities.Model;

/// <summary>One prompt (already rendered by a role template) and the seed of its sample.</summary>
internal readonly record struct SampleRequest(string UserText, long Seed);

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
        MaxNewTokens = maxNewTokensCap is { } cap ? Math.Min(cap, settings.MaxNewTokens) : settings.MaxNewTokens,
        EosTokenIds = model.Engine.StopTokenIds,
        BatchSize = batchSize,
        PadTokenId = model.PadTokenId,
    };

    /// <summary>The completion text of every request, in order.</summary>
    public static IReadOnlyList<string> Sample(
        LoadedModel model, IReadOnlyList<SampleRequest> requests, GenerationOptions options, Action<int> onProgress, CancellationToken cancellationToken)
    {
        var generator = model.Engine.CreateGenerator();
        var texts = new List<string>(requests.Count);
        foreach (var chunk in requests.Chunk(options.BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var results = generator.Generate(
                [.. chunk.Select(r => new GenerationRequest { PromptIds = model.PromptIds(r.UserText), Seed = r.Seed })], options, cancellationToken);
            texts.AddRange(results.Select(r => r.Text ?? model.Decode(r.CompletionIds)));
            onProgress(texts.Count);
        }

        return texts;
    }
}
