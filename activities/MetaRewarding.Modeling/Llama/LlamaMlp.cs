using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Llama;

/// <summary>The SwiGLU feed-forward block: down(silu(gate(x)) * up(x)).</summary>
internal sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    // Field names are the Hugging Face parameter names (RegisterComponents uses them).
    private readonly ProjectionWeight gate_proj;
    private readonly ProjectionWeight up_proj;
    private readonly ProjectionWeight down_proj;

    public LlamaMlp(LlamaConfig config, ScalarType dtype, Device device) : base("mlp")
    {
        gate_proj = new ProjectionWeight("gate_proj", config.HiddenSize, config.IntermediateSize, dtype, device);
        up_proj = new ProjectionWeight("up_proj", config.HiddenSize, config.IntermediateSize, dtype, device);
        down_proj = new ProjectionWeight("down_proj", config.IntermediateSize, config.HiddenSize, dtype, device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var gate = gate_proj.forward(input);
        using var activated = nn.functional.silu(gate);
        using var up = up_proj.forward(input);
        using var product = activated * up;
        return down_proj.forward(product);
    }
}
