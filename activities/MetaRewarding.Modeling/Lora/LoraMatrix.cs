using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Lora;

/// <summary>One of an adapter's two matrices, a module with a single <c>weight</c>, as PEFT's nn.Linear <c>lora_A</c> / <c>lora_B</c>.</summary>
internal sealed class LoraMatrix : nn.Module
{
    private readonly Parameter weight;

    public LoraMatrix(string name, Tensor initial) : base(name)
    {
        weight = new Parameter(initial, requires_grad: true);
        RegisterComponents();
    }

    public Parameter Weight => weight;
}
