using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Llama;

/// <summary>
/// Multi-head self-attention with grouped-query support (kv heads ≤ heads; 1 = multi-query) through
/// libtorch's fused scaled_dot_product_attention.
/// </summary>
internal sealed class LlamaAttention : nn.Module
{
    // Field names are the Hugging Face parameter names (RegisterComponents uses them).
    private readonly ProjectionWeight q_proj;
    private readonly ProjectionWeight k_proj;
    private readonly ProjectionWeight v_proj;
    private readonly ProjectionWeight o_proj;
    private readonly int layerIndex;
    private readonly long heads;
    private readonly long kvHeads;
    private readonly long headDim;

    public LlamaAttention(LlamaConfig config, int layerIndex, ScalarType dtype, Device device) : base("self_attn")
    {
        this.layerIndex = layerIndex;
        heads = config.NumAttentionHeads;
        kvHeads = config.NumKeyValueHeads;
        headDim = config.HeadDim;
        q_proj = new ProjectionWeight("q_proj", config.HiddenSize, heads * headDim, dtype, device);
        k_proj = new ProjectionWeight("k_proj", config.HiddenSize, kvHeads * headDim, dtype, device);
        v_proj = new ProjectionWeight("v_proj", config.HiddenSize, kvHeads * headDim, dtype, device);
        o_proj = new ProjectionWeight("o_proj", heads * headDim, config.HiddenSize, dtype, device);
        RegisterComponents();
    }

    public Tensor Forward(Tensor hidden, AttentionInputs inputs)
    {
        using var scope = NewDisposeScope();
        var batch = hidden.shape[0];
        var steps = hidden.shape[1];
        var q = q_proj.forward(hidden).view(batch, steps, heads, headDim).transpose(1, 2);
        var k = k_proj.forward(hidden).view(batch, steps, kvHeads, headDim).transpose(1, 2);
        var v = v_proj.forward(hidden).view(batch, steps, kvHeads, headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, inputs.Cos, inputs.Sin);
        k = RotaryEmbedding.Apply(k, inputs.Cos, inputs.Sin);
        if (inputs.Cache is { } cache)
        {
            (k, v) = cache.Append(layerIndex, k, v);
        }
        Tensor attended;
        if (steps == 1 && kvHeads != heads)
        {
            // Decoding one token with grouped-query attention: the query heads sharing a kv head become that
            // head's "query rows" ([B, kvHeads, heads/kvHeads, D]), so the cache is read as is instead of being
            // copied heads/kvHeads times per layer per token. The mask [B, 1, 1, Tk] broadcasts over those rows.
            var grouped = q.reshape(batch, kvHeads, heads / kvHeads, headDim);
            attended = nn.functional.scaled_dot_product_attention(grouped, k, v, inputs.Mask, 0.0, false).reshape(batch, heads, 1, headDim);
        }
        else
        {
            attended = nn.functional.scaled_dot_product_attention(q, RepeatKeyValueHeads(k), RepeatKeyValueHeads(v), inputs.Mask, 0.0, inputs.IsCausal);
        }
        var merged = attended.transpose(1, 2).reshape(batch, steps, heads * headDim);
        return o_proj.forward(merged).MoveToOuterDisposeScope();
    }

    /// <summary>[B, kvHeads, T, D] -> [B, heads, T, D], each kv head shared by heads/kvHeads consecutive query heads (HF's repeat_kv).</summary>
    private Tensor RepeatKeyValueHeads(Tensor kv)
    {
        if (kvHeads == heads)
        {
            return kv;
        }
        var repeats = heads / kvHeads;
        var (batch, steps) = (kv.shape[0], kv.shape[2]);
        return kv.unsqueeze(2).expand(batch, kvHeads, repeats, steps, headDim).reshape(batch, heads, steps, headDim);
    }
}
