using MetaRewarding.Modeling.Llama;

namespace MetaRewarding.Modeling.Generation;

/// <summary>
/// Whether a request fits the model's context: its prompt plus <see cref="GenerationOptions.MaxNewTokens"/> must not
/// exceed <see cref="LlamaConfig.MaxPositionEmbeddings"/>. Positions past it were never trained (rotary embeddings
/// would extrapolate), so such a request is refused, never run (docs/GENERATION.md, "Truncation and context").
/// </summary>
public static class ContextWindow
{
    /// <summary>Why a prompt of <paramref name="promptTokens"/> tokens with <paramref name="maxNewTokens"/> does not fit, or null when it does.</summary>
    public static string? Problem(LlamaConfig config, long promptTokens, int maxNewTokens)
    {
        ArgumentNullException.ThrowIfNull(config);
        var need = promptTokens + maxNewTokens;
        return need <= config.MaxPositionEmbeddings
            ? null
            : $"prompt ({promptTokens} tokens) + max new tokens ({maxNewTokens}) = {need} exceeds the model's context of {config.MaxPositionEmbeddings} positions; shorten the prompt or lower max new tokens";
    }
}
