using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Scoring;

/// <summary>
/// A right-padded batch of prompt + completion sequences, with the masks needed to score only the completion:
/// <see cref="CompletionMask"/>[b, t] is 1 when token t + 1 of row b is a completion token (the target of the
/// logits at position t), so prompt tokens and padding contribute nothing to sums or gradients.
/// </summary>
public sealed class CompletionBatch : IDisposable
{
    private CompletionBatch(Tensor inputIds, Tensor attentionMask, Tensor completionMask, int[] completionTokens, long realTokens)
    {
        InputIds = inputIds;
        AttentionMask = attentionMask;
        CompletionMask = completionMask;
        CompletionTokens = completionTokens;
        RealTokens = realTokens;
    }

    /// <summary>[B, T] int64 token ids, right-padded.</summary>
    public Tensor InputIds { get; }

    /// <summary>[B, T] int64, 1 for real tokens and 0 for padding (the model's attention-mask convention).</summary>
    public Tensor AttentionMask { get; }

    /// <summary>[B, T - 1] float32, aligned with the shifted targets InputIds[:, 1:].</summary>
    public Tensor CompletionMask { get; }

    /// <summary>Number of completion tokens per row.</summary>
    public IReadOnlyList<int> CompletionTokens { get; }

    /// <summary>Prompt + completion tokens in the batch, padding excluded (for throughput figures).</summary>
    public long RealTokens { get; }

    public int Count => CompletionTokens.Count;

    /// <summary>Pads <paramref name="items"/> on the right to the longest one and builds the masks.</summary>
    /// <param name="items">Sequences to batch, in order; each needs a non-empty prompt.</param>
    /// <param name="device">Where the tensors are created.</param>
    /// <param name="padTokenId">Id written into padding; it is masked out, so any valid id works.</param>
    public static CompletionBatch Create(IReadOnlyList<CompletionSequence> items, Device device, int padTokenId = 0)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(device);
        if (items.Count == 0)
        {
            throw new ArgumentException("A completion batch needs at least one sequence.", nameof(items));
        }

        var width = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].PromptIds.Count == 0)
            {
                throw new ArgumentException(
                    $"Sequence {i} has an empty prompt: the first completion token has nothing to be predicted from. " +
                    "Start every prompt with at least one token (e.g. the BOS token).", nameof(items));
            }

            width = Math.Max(width, items[i].Length);
        }

        var rows = items.Count;
        var ids = new long[rows * width];
        var attention = new long[rows * width];
        var targets = new float[rows * (width - 1)];
        var counts = new int[rows];
        long real = 0;
        for (var b = 0; b < rows; b++)
        {
            var item = items[b];
            var promptLength = item.PromptIds.Count;
            for (var t = 0; t < width; t++)
            {
                var index = (b * width) + t;
                if (t < item.Length)
                {
                    ids[index] = t < promptLength ? item.PromptIds[t] : item.CompletionIds[t - promptLength];
                    attention[index] = 1;
                }
                else
                {
                    ids[index] = padTokenId;
                }
            }

            // Logits at position t predict token t + 1; it is a completion token for t + 1 in [P, P + C).
            for (var t = promptLength - 1; t < item.Length - 1; t++)
            {
                targets[(b * (width - 1)) + t] = 1f;
            }

            counts[b] = item.CompletionIds.Count;
            real += item.Length;
        }

        long[] shape = [rows, width];
        long[] targetShape = [rows, width - 1];
        return new CompletionBatch(
            tensor(ids, shape, ScalarType.Int64, device),
            tensor(attention, shape, ScalarType.Int64, device),
            tensor(targets, targetShape, ScalarType.Float32, device),
            counts,
            real);
    }

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        CompletionMask.Dispose();
    }
}
