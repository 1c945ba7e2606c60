using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Llama;

/// <summary>
/// Root-mean-square layer norm. Like transformers, the statistics are computed in fp32 whatever the compute
/// dtype, and the result is cast back before the (compute-dtype) weight is applied: bf16 models then match.
/// </summary>
internal sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double eps;

    public RmsNorm(string name, long size, double eps, ScalarType dtype, Device device) : base(name)
    {
        weight = new Parameter(ones([size], dtype, device));
        this.eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var inputDtype = input.dtype;
        var x = input.to_type(ScalarType.Float32);
        var variance = x.pow(2).mean([-1], keepdim: true);
        var normalised = (x * (variance + eps).rsqrt()).to_type(inputDtype);
        return (weight * normalised).MoveToOuterDisposeScope();
    }
}
