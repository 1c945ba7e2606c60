using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Generation;

/// <summary>
/// Keys and values of a token prefix, per layer [1, kvHeads, length, headDim], copied out of a row after its prefill.
/// A position's key and value depend only on the tokens up to it, so any shorter prefix of these tokens is valid too.
/// </summary>
internal sealed class PrefixEntry(int[] tokens, Tensor[] keys, Tensor[] values) : IDisposable
{
    public int[] Tokens { get; } = tokens;

    public Tensor[] Keys { get; } = keys;

    public Tensor[] Values { get; } = values;

    /// <summary>When it was last matched (the cache's clock), for least-recently-used eviction.</summary>
    public long LastUsed { get; set; }

    public void Dispose()
    {
        foreach (var tensor in Keys.Concat(Values))
        {
            tensor.Dispose();
        }
    }
}
