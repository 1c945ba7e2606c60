using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Llama;

/// <summary>
/// A bias-free linear layer whose only parameter is <c>weight</c> [out, in], as in Hugging Face's Llama.
/// The weight is allocated uninitialised: checkpoints overwrite it, <see cref="LlamaForCausalLM.Create"/> initialises
/// it explicitly, and neither pays for TorchSharp's default Kaiming init on billions of parameters.
/// </summary>
internal sealed class ProjectionWeight : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    public ProjectionWeight(string name, long inFeatures, long outFeatures, ScalarType dtype, Device device) : base(name)
    {
        weight = new Parameter(empty([outFeatures, inFeatures], dtype, device));
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight);
}
