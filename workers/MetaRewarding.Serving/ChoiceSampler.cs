using MetaRewarding.Modeling.Generation;
using MetaRewarding.Serving.Protocol;

namespace MetaRewarding.Serving;

/// <summary>
/// Turns one request's prompts and sampling fields into engine requests, hands them to the scheduling loop together
/// and collects the results. Everything that can be known before decoding is checked first (model name, context,
/// KV budget, stop strings without a tokenizer), so a bad request costs no GPU time and queues nothing.
/// </summary>
internal sealed class ChoiceSampler(ServedModel model, EngineScheduler scheduler, ServeOptions options)
{
    /// <summary>Samples <see cref="SamplingParameters.N"/> choices per prompt; choice <c>i·n + j</c> is prompt i's j-th.</summary>
    /// <param name="prompts">Prompt token ids, one list per prompt.</param>
    /// <param name="parameters">The request's sampling fields.</param>
    /// <param name="defaultMaxTokens">max_tokens when the request gives none, from the longest prompt's length.</param>
    /// <param name="promptField">The field named when a prompt is refused (<c>prompt</c> or <c>messages</c>).</param>
    /// <param name="onTokens">For streaming: (choice index, its tokens so far) as decoding proceeds (see <see cref="EngineScheduler.GenerateAsync"/>).</param>
    public async Task<SampledChoices> SampleAsync(
        IReadOnlyList<int[]> prompts, SamplingParameters parameters, Func<int, int> defaultMaxTokens, string promptField, Action<int, int[]>? onTokens = null)
    {
        CheckModel(parameters.Model);
        var engine = model.Engine;
        if (parameters.Stop.Count > 0 && engine.Tokenizer is null)
        {
            throw OpenAiError.BadParameter("stop", "stop strings need the model's tokenizer, and this model folder has none; leave stop out.");
        }

        var longest = prompts.Max(p => p.Length);
        var maxTokens = parameters.MaxTokens ?? Math.Max(1, defaultMaxTokens(longest));
        CheckFits(prompts, maxTokens, promptField);
        var sampling = engine.WithDefaults(new GenerationOptions
        {
            MaxNewTokens = maxTokens,
            Greedy = parameters.Temperature == 0,
            Temperature = parameters.Temperature == 0 ? 1 : parameters.Temperature,
            TopP = parameters.TopP,
            TopK = parameters.TopK,
            StopStrings = parameters.Stop,
        });

        var choices = new List<(GenerationRequest, GenerationOptions)>(prompts.Count * parameters.N);
        for (var i = 0; i < prompts.Count; i++)
        {
            for (var j = 0; j < parameters.N; j++)
            {
                var index = (i * parameters.N) + j;
                var seed = parameters.Seed is { } s ? unchecked(s + index) : Random.Shared.NextInt64();
                choices.Add((new GenerationRequest { PromptIds = prompts[i], Seed = seed }, sampling));
            }
        }

        GenerationResult[] results;
        try
        {
            results = await scheduler.GenerateAsync(choices, onTokens).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw OpenAiError.BadParameter(promptField, e.Message);
        }

        var sampled = results.Select((r, c) => new SampledChoice(c, c / parameters.N, r, MatchedStop(r, parameters.Stop))).ToList();
        return new SampledChoices(sampled, prompts.Sum(p => p.Length));
    }

    /// <summary>404 when the request names another model, as OpenAI and vLLM answer (a missing name means the served one).</summary>
    public void CheckModel(string? requested)
    {
        if (requested is not null && !string.Equals(requested, model.Name, StringComparison.Ordinal))
        {
            throw new OpenAiError(404, $"The model '{requested}' does not exist; this server serves '{model.Name}' (GET /v1/models lists it).", "model", "model_not_found", "NotFoundError");
        }
    }

    private void CheckFits(IReadOnlyList<int[]> prompts, int maxTokens, string promptField)
    {
        foreach (var prompt in prompts)
        {
            if (prompt.Length == 0)
            {
                throw OpenAiError.BadParameter(promptField, $"a prompt is empty; give at least one token{(model.Engine.Tokenizer?.SpecialTokens.BeginOfText is null ? "" : " (text prompts get the BOS token)")}.");
            }

            var need = (long)prompt.Length + maxTokens;
            if (need > model.ContextLength)
            {
                throw OpenAiError.BadParameter("max_tokens",
                    $"This model's maximum context length is {model.ContextLength} tokens. However, you requested {need} tokens ({prompt.Length} in the prompt, {maxTokens} in the completion). Please reduce the length of the prompt or max_tokens.");
            }

            if (options.KvCacheTokens is { } budget && need > budget)
            {
                throw OpenAiError.BadParameter("max_tokens",
                    $"the prompt ({prompt.Length} tokens) plus max_tokens ({maxTokens}) = {need} positions exceeds this server's KV cache of {budget}; lower max_tokens, or restart serve with a larger --kv-cache-tokens.");
            }
        }
    }

    /// <summary>The stop string a <see cref="FinishReason.Stop"/> result was cut at: the one that starts where its text ends.</summary>
    private string? MatchedStop(GenerationResult result, IReadOnlyList<string> stops)
    {
        if (result.FinishReason != FinishReason.Stop || result.Text is not { } text)
        {
            return null;
        }

        var full = model.Engine.Decode(result.CompletionIds);
        return stops.Where(s => full.Length >= text.Length && full.AsSpan(text.Length).StartsWith(s, StringComparison.Ordinal))
            .DefaultIfEmpty(stops.FirstOrDefault(s => full.Contains(s, StringComparison.Ordinal))).First();
    }
}
