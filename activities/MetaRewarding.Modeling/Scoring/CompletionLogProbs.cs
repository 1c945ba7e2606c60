using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Scoring;

/// <summary>
/// Log-probabilities of completion tokens under a causal language model (ids [B,T], mask [B,T] -> logits [B,T,V]).
/// Everything is computed in fp32 whatever the model's compute dtype, as DPO's reward differences are small
/// differences of large sums.
/// </summary>
public static class CompletionLogProbs
{
    /// <summary>
    /// Per-token log-probabilities of the batch's targets, [B, T - 1] fp32, zero wherever
    /// <see cref="CompletionBatch.CompletionMask"/> is zero. Differentiable when gradients are enabled.
    /// </summary>
    public static Tensor PerToken(nn.Module<Tensor, Tensor?, Tensor> model, CompletionBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var logits = model.forward(batch.InputIds, batch.AttentionMask);
        var width = batch.InputIds.shape[1];
        var predicting = logits.narrow(1, 0, width - 1).to(ScalarType.Float32);
        var targets = batch.InputIds.narrow(1, 1, width - 1).unsqueeze(-1);
        // log p(target) = logit[target] - logsumexp(logits): avoids keeping a full [B,T,V] log_softmax.
        var picked = predicting.gather(-1, targets).squeeze(-1);
        var tokenLogProbs = (picked - predicting.logsumexp(-1)) * batch.CompletionMask;
        return tokenLogProbs.MoveToOuterDisposeScope();
    }

    /// <summary>Summed completion log-probability per row, [B] fp32 (differentiable when gradients are enabled).</summary>
    public static Tensor Sum(nn.Module<Tensor, Tensor?, Tensor> model, CompletionBatch batch)
    {
        using var scope = NewDisposeScope();
        return PerToken(model, batch).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Scores <paramref name="items"/> without gradients, <paramref name="batchSize"/> sequences per forward pass,
    /// and returns the per-item summed log-probability and completion token count, in input order.
    /// </summary>
    public static IReadOnlyList<CompletionScore> Score(
        nn.Module<Tensor, Tensor?, Tensor> model,
        IReadOnlyList<CompletionSequence> items,
        int batchSize,
        Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var scores = new CompletionScore[items.Count];
        using var noGrad = no_grad();
        for (var start = 0; start < items.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(batchSize, items.Count - start);
            var slice = new CompletionSequence[count];
            for (var i = 0; i < count; i++)
            {
                slice[i] = items[start + i];
            }

            using var batch = CompletionBatch.Create(slice, device);
            var sums = Sum(model, batch).to(ScalarType.Float64).cpu().data<double>().ToArray();
            for (var i = 0; i < count; i++)
            {
                scores[start + i] = new CompletionScore(sums[i], batch.CompletionTokens[i]);
            }
        }

        return scores;
    }
}
