using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Llama;

/// <summary>One pre-norm transformer block: x + attn(norm(x)), then + mlp(norm(·)).</summary>
internal sealed class LlamaDecoderLayer : nn.Module
{
    // Field names are the Hugging Face parameter names (RegisterComponents uses them).
    private readonly LlamaAttention self_attn;
    private readonly LlamaMlp mlp;
    private readonly RmsNorm input_layernorm;
    private readonly RmsNorm post_attention_layernorm;

    public LlamaDecoderLayer(LlamaConfig config, int layerIndex, ScalarType dtype, Device device) : base($"layer{layerIndex}")
    {
        self_attn = new LlamaAttention(config, layerIndex, dtype, device);
        mlp = new LlamaMlp(config, dtype, device);
        input_layernorm = new RmsNorm("input_layernorm", config.HiddenSize, config.RmsNormEps, dtype, device);
        post_attention_layernorm = new RmsNorm("post_attention_layernorm", config.HiddenSize, config.RmsNormEps, dtype, device);
        RegisterComponents();
    }

    /// <summary>True when a forward pass draws random numbers (LoRA dropout): a checkpointed recompute must replay them.</summary>
    public bool DrawsRandomNumbers { get; set; }

    public Tensor Forward(Tensor hidden, AttentionInputs inputs)
    {
        using var scope = NewDisposeScope();
        var attended = hidden + self_attn.Forward(input_layernorm.forward(hidden), inputs);
        var output = attended + mlp.forward(post_attention_layernorm.forward(attended));
        return output.MoveToOuterDisposeScope();
    }
}
