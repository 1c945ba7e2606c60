using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Llama;

/// <summary>
/// What every layer's attention needs for one forward call, computed once per call by <see cref="LlamaModel"/>:
/// rotary cos/sin for the new positions, the mask (bool [B, 1, Tq, Tk], true = may attend) or the plain causal flag,
/// and where keys and values are cached when decoding incrementally.
/// </summary>
internal sealed record AttentionInputs(Tensor Cos, Tensor Sin, Tensor? Mask, bool IsCausal, IKvCacheWriter? Cache);
