using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Llama;

/// <summary>
/// The decoder stack (Hugging Face's <c>LlamaModel</c>, parameter prefix <c>model.</c>): embeddings, layers, final norm.
/// Builds positions and the attention mask once per call and hands them to every layer.
/// </summary>
internal sealed class LlamaModel : nn.Module
{
    // Field names are the Hugging Face parameter names (RegisterComponents uses them).
    private readonly TokenEmbedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly RmsNorm norm;
    private readonly RotaryEmbedding rotary;

    public LlamaModel(LlamaConfig config, ScalarType dtype, Device device) : base("model")
    {
        embed_tokens = new TokenEmbedding(config.VocabSize, config.HiddenSize, dtype, device);
        layers = new ModuleList<LlamaDecoderLayer>(
            Enumerable.Range(0, config.NumHiddenLayers).Select(i => new LlamaDecoderLayer(config, i, dtype, device)).ToArray());
        norm = new RmsNorm("norm", config.HiddenSize, config.RmsNormEps, dtype, device);
        rotary = new RotaryEmbedding(config);
        RegisterComponents();
    }

    public TokenEmbedding Embeddings => embed_tokens;

    /// <summary>The decoder layers, in order.</summary>
    public IReadOnlyList<LlamaDecoderLayer> Layers => [.. layers];

    /// <summary>Recompute each layer in backward instead of keeping its activations (<see cref="CheckpointedDecoderLayer"/>).</summary>
    public bool GradientCheckpointing { get; set; }

    /// <summary>
    /// Final hidden states [B, T, hidden] for <paramref name="inputIds"/> [B, T].
    /// <paramref name="attentionMask"/> covers the cached past and the new tokens, [B, past + T], 1 = real token.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var batch = inputIds.shape[0];
        var steps = inputIds.shape[1];
        var past = cache?.Length ?? 0;
        var total = past + steps;
        if (attentionMask is not null && (attentionMask.shape.Length != 2 || attentionMask.shape[0] != batch || attentionMask.shape[1] != total))
        {
            throw new ArgumentException(
                $"attention mask must be [batch={batch}, past+new={total}] (1 = token, 0 = padding); got [{string.Join(", ", attentionMask.shape)}].",
                nameof(attentionMask));
        }

        var positions = PositionIds(attentionMask, batch, past, total, inputIds.device);
        var (mask, isCausal) = BuildMask(attentionMask, past, steps, total, inputIds.device);
        var hidden = Forward(inputIds, positions, mask, isCausal, cache);
        cache?.Advance(steps);
        return hidden.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Final hidden states [B, T, hidden] with the positions and the attention pattern given explicitly: rotary
    /// positions <paramref name="positionIds"/> [B, T]; <paramref name="mask"/> bool [B, 1, T, Tk] (true = may attend)
    /// or <paramref name="isCausal"/> for a plain causal pattern; <paramref name="cache"/> stores the new keys and values
    /// and returns the Tk keys and values to attend over. Continuous batching drives the model through this.
    /// </summary>
    internal Tensor Forward(Tensor inputIds, Tensor positionIds, Tensor? mask, bool isCausal, IKvCacheWriter? cache)
    {
        using var scope = NewDisposeScope();
        var hidden = embed_tokens.forward(inputIds);
        var (cos, sin) = rotary.CosSin(positionIds, hidden.dtype);
        var inputs = new AttentionInputs(cos, sin, mask, isCausal, cache);
        // Checkpointing only matters when a graph is built; generation (a cache) and scoring never build one.
        var checkpoint = GradientCheckpointing && cache is null && is_grad_enabled();
        foreach (var layer in layers)
        {
            if (checkpoint)
            {
                hidden = CheckpointedDecoderLayer.Run(layer, hidden, inputs);
                continue;
            }

            if (CheckpointedDecoderLayer.DrawLayerSeed(layer) is { } seed)
            {
                manual_seed(seed);
            }

            hidden = layer.Forward(hidden, inputs);
        }

        return norm.forward(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>Positions count real tokens only (cumsum of the mask - 1, clamped at 0), so left padding does not shift them.</summary>
    private static Tensor PositionIds(Tensor? attentionMask, long batch, long past, long total, Device device)
    {
        if (attentionMask is null)
        {
            return arange(past, total, ScalarType.Int64, device).unsqueeze(0).expand(batch, total - past);
        }
        var counted = attentionMask.to_type(ScalarType.Int64).cumsum(-1) - 1;
        return counted.clamp_min(0).narrow(1, past, total - past);
    }

    /// <summary>
    /// Without padding, the fused causal kernel needs no mask at all. With padding, a bool mask [B, 1, T, past+T]
    /// allows key k for query q when k is not in q's future and k is a real token; a padding query may also see
    /// itself, so no softmax row is empty (an empty row gives NaN, which would leak through the cached keys).
    /// </summary>
    private static (Tensor? Mask, bool IsCausal) BuildMask(Tensor? attentionMask, long past, long steps, long total, Device device)
    {
        var padded = attentionMask is not null && (steps == 1 || !attentionMask.all().item<bool>());
        if (!padded)
        {
            if (steps == 1)
            {
                return (null, false);
            }
            if (past == 0)
            {
                return (null, true);
            }
        }
        var queryPositions = arange(past, total, ScalarType.Int64, device).unsqueeze(1);
        var keyPositions = arange(0, total, ScalarType.Int64, device).unsqueeze(0);
        var allowed = keyPositions.le(queryPositions).unsqueeze(0).unsqueeze(0);
        if (!padded)
        {
            return (allowed, false);
        }
        var realKeys = attentionMask!.to_type(ScalarType.Bool).unsqueeze(1).unsqueeze(1);
        var self = keyPositions.eq(queryPositions).unsqueeze(0).unsqueeze(0);
        return (allowed.logical_and(realKeys.logical_or(self)), false);
    }
}
