using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Generation;

/// <summary>
/// Picks the next token of every row at once on the model's device: greedy argmax, or temperature + top-k + top-p
/// sampling by inverse CDF with one uniform per row (from that row's own seed, see <see cref="RequestRandom"/>).
/// </summary>
internal static class TokenSampler
{
    /// <summary>Next token ids [B] (int64) for <paramref name="logits"/> [B, V] fp32; <paramref name="uniforms"/> [B] in [0, 1).</summary>
    public static Tensor Next(Tensor logits, GenerationOptions options, Tensor? uniforms)
    {
        if (options.Greedy)
        {
            return logits.argmax(-1);
        }
        using var scope = NewDisposeScope();
        var scaled = logits / options.Temperature;
        // Candidates sorted by probability, most likely first; top-k only needs the k best.
        var vocab = logits.shape[^1];
        Tensor sortedLogits, sortedIds;
        if (options.TopK > 0 && options.TopK < vocab)
        {
            (sortedLogits, sortedIds) = scaled.topk(options.TopK, dim: -1, largest: true, sorted: true);
        }
        else
        {
            (sortedLogits, sortedIds) = scaled.sort(-1, descending: true);
        }
        var probs = sortedLogits.softmax(-1);
        if (options.TopP < 1.0)
        {
            // Drop a token when the more likely ones already reach top_p (transformers' rule: ascending cumulative
            // mass <= 1 - top_p); the most likely token always stays since nothing precedes it.
            var before = probs.cumsum(-1) - probs;
            probs = probs.masked_fill(before.ge(options.TopP), 0.0);
        }
        var cumulative = probs.cumsum(-1);
        var total = cumulative.narrow(-1, cumulative.shape[^1] - 1, 1);
        var threshold = uniforms!.unsqueeze(-1).to_type(ScalarType.Float32) * total;
        var choice = cumulative.lt(threshold).sum(-1, keepdim: true).clamp_max(cumulative.shape[^1] - 1);
        return sortedIds.gather(-1, choice).squeeze(-1).MoveToOuterDisposeScope();
    }
}
