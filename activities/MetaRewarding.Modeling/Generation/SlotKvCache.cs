using MetaRewarding.Modeling.Llama;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Generation;

/// <summary>
/// The key/value cache of a continuous batch: per layer, K and V of shape [slots, kvHeads, capacity, headDim]. Running
/// row r owns slot r; rows stay packed at the front (a finished row's slot takes the last row), so a decoding step reads
/// slots 0..rows−1 as one view, and each row writes its new token at its own position. The allocation,
/// slots × capacity token positions, is what the KV-cache token budget bounds.
/// </summary>
internal sealed class SlotKvCache : IDisposable
{
    private readonly Tensor[] keys;
    private readonly Tensor[] values;

    public SlotKvCache(LlamaConfig config, int slots, long capacity, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Slots = slots;
        Capacity = capacity;
        keys = new Tensor[config.NumHiddenLayers];
        values = new Tensor[config.NumHiddenLayers];
        for (var layer = 0; layer < keys.Length; layer++)
        {
            // The cache outlives the per-step dispose scopes it is used in.
            keys[layer] = zeros([slots, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
            values[layer] = zeros([slots, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
        }
    }

    public int Slots { get; }

    /// <summary>Positions per slot: a row's prompt plus its new tokens must fit.</summary>
    public long Capacity { get; }

    /// <summary>Rows in use: slots 0..Rows−1.</summary>
    public int Rows { get; private set; }

    /// <summary>Token positions held (slots × capacity), what the budget counts.</summary>
    public long Positions => Slots * Capacity;

    /// <summary>Takes the next free slot.</summary>
    public int AddRow() => Rows < Slots ? Rows++ : throw new InvalidOperationException($"all {Slots} slots are in use.");

    /// <summary>Frees <paramref name="row"/>: the last row moves into its slot (its first <paramref name="lastRowLength"/> positions), keeping rows packed.</summary>
    public void RemoveRow(int row, long lastRowLength)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        var last = Rows - 1;
        if (row != last && lastRowLength > 0)
        {
            for (var layer = 0; layer < keys.Length; layer++)
            {
                CopyPositions(keys[layer], last, row, lastRowLength);
                CopyPositions(values[layer], last, row, lastRowLength);
            }
        }

        Rows--;
    }

    /// <summary>Copies the first <paramref name="length"/> positions of <paramref name="prefix"/> into <paramref name="row"/>'s slot.</summary>
    public void CopyPrefix(int row, PrefixEntry prefix, long length)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        using var scope = NewDisposeScope();
        for (var layer = 0; layer < keys.Length; layer++)
        {
            keys[layer].narrow(0, row, 1).narrow(2, 0, length).copy_(prefix.Keys[layer].narrow(2, 0, length));
            values[layer].narrow(0, row, 1).narrow(2, 0, length).copy_(prefix.Values[layer].narrow(2, 0, length));
        }
    }

    /// <summary>A copy of the first <paramref name="tokens"/>.Count positions of <paramref name="row"/>, which hold those tokens.</summary>
    public PrefixEntry Snapshot(int row, int[] tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        using var scope = NewDisposeScope();
        var snapshotKeys = new Tensor[keys.Length];
        var snapshotValues = new Tensor[keys.Length];
        for (var layer = 0; layer < keys.Length; layer++)
        {
            snapshotKeys[layer] = keys[layer].narrow(0, row, 1).narrow(2, 0, tokens.Length).clone().DetachFromDisposeScope();
            snapshotValues[layer] = values[layer].narrow(0, row, 1).narrow(2, 0, tokens.Length).clone().DetachFromDisposeScope();
        }

        return new PrefixEntry(tokens, snapshotKeys, snapshotValues);
    }

    /// <summary>A cache with room for <paramref name="slots"/> × <paramref name="capacity"/> holding this one's rows; this one is disposed.</summary>
    public SlotKvCache Resize(LlamaConfig config, int slots, long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, Rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, Capacity);
        var resized = new SlotKvCache(config, slots, capacity, keys[0].dtype, keys[0].device) { Rows = Rows };
        if (Rows > 0)
        {
            using var scope = NewDisposeScope();
            for (var layer = 0; layer < keys.Length; layer++)
            {
                resized.keys[layer].narrow(0, 0, Rows).narrow(2, 0, Capacity).copy_(keys[layer].narrow(0, 0, Rows));
                resized.values[layer].narrow(0, 0, Rows).narrow(2, 0, Capacity).copy_(values[layer].narrow(0, 0, Rows));
            }
        }

        Dispose();
        return resized;
    }

    /// <summary>Writes a prompt's keys and values into <paramref name="row"/> from position <paramref name="start"/> on.</summary>
    public IKvCacheWriter PrefillWriter(int row, long start) => new RowWriter(this, row, start);

    /// <summary>
    /// Writes one new token per row 0..rows−1 at <paramref name="positions"/> (int64 [rows]) and lets each query see the
    /// first <paramref name="attendLength"/> positions (the batch's longest; the caller's mask hides what a row must not see).
    /// </summary>
    public IKvCacheWriter DecodeWriter(Tensor positions, long attendLength) => new StepWriter(this, positions, attendLength);

    public void Dispose()
    {
        foreach (var tensor in keys.Concat(values))
        {
            tensor.Dispose();
        }
    }

    private static void CopyPositions(Tensor cache, int from, int to, long length)
    {
        using var scope = NewDisposeScope();
        cache.narrow(0, to, 1).narrow(2, 0, length).copy_(cache.narrow(0, from, 1).narrow(2, 0, length));
    }

    private sealed class RowWriter(SlotKvCache cache, int row, long start) : IKvCacheWriter
    {
        public (Tensor Keys, Tensor Values) Append(int layer, Tensor key, Tensor value)
        {
            var steps = key.shape[2];
            if (start + steps > cache.Capacity)
            {
                throw new InvalidOperationException($"slot cache row overflow: {start} + {steps} > capacity {cache.Capacity}.");
            }

            var rowKeys = cache.keys[layer].narrow(0, row, 1);
            var rowValues = cache.values[layer].narrow(0, row, 1);
            rowKeys.narrow(2, start, steps).copy_(key);
            rowValues.narrow(2, start, steps).copy_(value);
            return (rowKeys.narrow(2, 0, start + steps), rowValues.narrow(2, 0, start + steps));
        }
    }

    private sealed class StepWriter(SlotKvCache cache, Tensor positions, long attendLength) : IKvCacheWriter
    {
        public (Tensor Keys, Tensor Values) Append(int layer, Tensor key, Tensor value)
        {
            // key/value [rows, kvHeads, 1, D]; row r's goes to position positions[r] of slot r.
            var rows = key.shape[0];
            var index = positions.view(rows, 1, 1, 1).expand(key.shape);
            var slotKeys = cache.keys[layer].narrow(0, 0, rows);
            var slotValues = cache.values[layer].narrow(0, 0, rows);
            slotKeys.scatter_(2, index, key);
            slotValues.scatter_(2, index, value);
            return (slotKeys.narrow(2, 0, attendLength), slotValues.narrow(2, 0, attendLength));
        }
    }
}
