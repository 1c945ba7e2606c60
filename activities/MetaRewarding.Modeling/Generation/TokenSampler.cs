using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Generation;

/// <summary>
/// Picks the next token of every row at once on the model's device: greedy argmax, or temperature + top-k + top-p
/// sampling by inverse CDF with one uniform per row (from that row's own seed, see <see cref="RequestRandom"/>).
/// <para>
/// Sorting the vocabulary (32k–128k entries per row per step) is the costly part on a CPU, so it is avoided where the
/// draw does not need it (docs/GENERATION.md, "Measuring it"): plain temperature sampling inverts the CDF in
/// vocabulary order (the same distribution as in sorted order), and top-p first looks for the nucleus among the
/// <see cref="NucleusCandidates"/> most likely tokens, sorting everything only for a row whose nucleus is wider.
/// </para>
/// </summary>
internal static class TokenSampler
{
    /// <summary>Tokens a top-p draw first looks among: a trained model's 0.95 nucleus is nearly always far smaller. [choice]</summary>
    public const int NucleusCandidates = 1024;

    /// <summary>Next token ids [B] (int64) for <paramref name="logits"/> [B, V] fp32; <paramref name="uniforms"/> [B] in [0, 1).</summary>
    public static Tensor Next(Tensor logits, GenerationOptions options, Tensor? uniforms)
    {
        if (options.Greedy)
        {
            return logits.argmax(-1);
        }

        using var scope = NewDisposeScope();
        var scaled = logits / options.Temperature;
        var vocab = logits.shape[^1];
        var draws = uniforms!.unsqueeze(-1).to_type(ScalarType.Float32);
        var topK = options.TopK > 0 && options.TopK < vocab;
        if (!topK && options.TopP >= 1.0)
        {
            return Draw(scaled.softmax(-1), draws).squeeze(-1).MoveToOuterDisposeScope();
        }

        // Candidates sorted by probability, most likely first: top-k needs only the k best; top-p tries the
        // NucleusCandidates best and sorts the whole vocabulary only when some row's nucleus does not fit in them.
        var candidates = topK ? options.TopK : (int)Math.Min(vocab, NucleusCandidates);
        var (sortedLogits, sortedIds) = scaled.topk(candidates, dim: -1, largest: true, sorted: true);
        var logNormalizer = scaled.logsumexp(-1, keepdim: true);
        var probs = (sortedLogits - logNormalizer).exp();
        if (!topK && candidates < vocab && probs.sum(-1).lt(options.TopP).any().item<bool>())
        {
            (sortedLogits, sortedIds) = scaled.sort(-1, descending: true);
            probs = (sortedLogits - logNormalizer).exp();
        }
        else if (topK)
        {
            probs = sortedLogits.softmax(-1);
        }

        if (options.TopP < 1.0)
        {
            // Drop a token when the more likely ones already reach top_p (transformers' rule: ascending cumulative
            // mass <= 1 - top_p); the most likely token always stays since nothing precedes it.
            var before = probs.cumsum(-1) - probs;
            probs = probs.masked_fill(before.ge(options.TopP), 0.0);
        }

        return sortedIds.gather(-1, Draw(probs, draws)).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Inverse CDF: per row, the index where the cumulative mass (normalised to what is kept) passes the row's uniform [B, 1].</summary>
    private static Tensor Draw(Tensor probs, Tensor draws)
    {
        var cumulative = probs.cumsum(-1);
        var last = cumulative.shape[^1] - 1;
        var threshold = draws * cumulative.narrow(-1, last, 1);
        return cumulative.lt(threshold).sum(-1, keepdim: true).clamp_max(last);
    }
}
