using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Llama;

/// <summary>
/// Where an attention layer puts the keys and values of the tokens it just computed, and reads back every key and
/// value its queries may attend to. <see cref="KvCache"/> appends after a shared past (static batches);
/// the continuous-batching cache writes each row at its own position (Generation's slot cache).
/// </summary>
internal interface IKvCacheWriter
{
    /// <summary>Stores <paramref name="key"/>/<paramref name="value"/> [B, kvHeads, T, D] and returns the keys and values to attend over [B, kvHeads, Tk, D].</summary>
    (Tensor Keys, Tensor Values) Append(int layer, Tensor key, Tensor value);
}
