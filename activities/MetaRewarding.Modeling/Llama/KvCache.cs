using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Llama;

/// <summary>
/// Pre-allocated key/value cache for incremental decoding: per layer, K and V of shape
/// [batch, kvHeads, capacity, headDim]. Writing a step is a slice copy, so decoding costs no
/// re-allocation or concatenation of the whole history per token.
/// </summary>
public sealed class KvCache : IKvCacheWriter, IDisposable
{
    private readonly Tensor[] keys;
    private readonly Tensor[] values;

    public KvCache(LlamaConfig config, long batchSize, long capacity, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        BatchSize = batchSize;
        Capacity = capacity;
        keys = new Tensor[config.NumHiddenLayers];
        values = new Tensor[config.NumHiddenLayers];
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            keys[layer] = zeros([batchSize, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device);
            values[layer] = zeros([batchSize, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device);
        }
    }

    public long BatchSize { get; private set; }
    public long Capacity { get; }

    /// <summary>Positions already stored (the same for every layer between forward calls).</summary>
    public long Length { get; private set; }

    /// <summary>Stores <paramref name="key"/>/<paramref name="value"/> [B, kvHeads, T, D] after the past and returns views of the whole history.</summary>
    (Tensor Keys, Tensor Values) IKvCacheWriter.Append(int layer, Tensor key, Tensor value)
    {
        var steps = key.shape[2];
        if (Length + steps > Capacity)
        {
            throw new InvalidOperationException(
                $"KV cache is full: {Length} stored + {steps} new > capacity {Capacity}. Allocate the cache for prompt length + max new tokens.");
        }
        using (var keySlot = keys[layer].narrow(2, Length, steps))
        {
            keySlot.copy_(key);
        }
        using (var valueSlot = values[layer].narrow(2, Length, steps))
        {
            valueSlot.copy_(value);
        }
        return (keys[layer].narrow(2, 0, Length + steps), values[layer].narrow(2, 0, Length + steps));
    }

    /// <summary>Keeps only the batch rows at <paramref name="rowIndices"/> (int64), e.g. to drop finished sequences.</summary>
    public void KeepRows(Tensor rowIndices)
    {
        ArgumentNullException.ThrowIfNull(rowIndices);
        for (var layer = 0; layer < keys.Length; layer++)
        {
            // The cache outlives any per-step dispose scope its caller may have open.
            var keptKeys = keys[layer].index_select(0, rowIndices).DetachFromDisposeScope();
            var keptValues = values[layer].index_select(0, rowIndices).DetachFromDisposeScope();
            keys[layer].Dispose();
            values[layer].Dispose();
            keys[layer] = keptKeys;
            values[layer] = keptValues;
        }
        BatchSize = rowIndices.shape[0];
    }

    /// <summary>Called by the model once every layer has appended this forward's positions.</summary>
    internal void Advance(long steps) => Length += steps;

    public void Dispose()
    {
        foreach (var t in keys.Concat(values))
        {
            t.Dispose();
        }
    }
}
