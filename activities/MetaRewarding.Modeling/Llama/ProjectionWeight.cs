using MetaRewarding.Modeling.Lora;
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

    // Not a module field: its matrices are registered as lora_A / lora_B, PEFT's names, when it is attached.
    private LoraAdapter? adapter;

    public ProjectionWeight(string name, long inFeatures, long outFeatures, ScalarType dtype, Device device) : base(name)
    {
        weight = new Parameter(empty([outFeatures, inFeatures], dtype, device));
        RegisterComponents();
    }

    public Parameter Weight => weight;

    /// <summary>The LoRA adapter attached to this projection, if any.</summary>
    public LoraAdapter? Adapter => adapter;

    public override Tensor forward(Tensor input)
    {
        var output = nn.functional.linear(input, weight);
        if (adapter is not { Enabled: true })
        {
            return output;
        }

        using (output)
        {
            return adapter.AddTo(output, input);
        }
    }

    /// <summary>Attaches <paramref name="lora"/>: its matrices become this module's <c>lora_A</c> and <c>lora_B</c>.</summary>
    public void Attach(LoraAdapter lora)
    {
        ArgumentNullException.ThrowIfNull(lora);
        if (adapter is not null)
        {
            throw new InvalidOperationException($"Projection {GetName()} already has a LoRA adapter; merge or remove it first.");
        }

        register_module("lora_A", lora.A);
        register_module("lora_B", lora.B);
        adapter = lora;
    }

    /// <summary>Removes the adapter (the caller disposes it) and returns it.</summary>
    public LoraAdapter? Detach()
    {
        var removed = adapter;
        if (removed is not null)
        {
            // register_module with null removes the child (TorchSharp's Module.register_module).
            register_module("lora_A", null!);
            register_module("lora_B", null!);
            adapter = null;
        }

        return removed;
    }
}
