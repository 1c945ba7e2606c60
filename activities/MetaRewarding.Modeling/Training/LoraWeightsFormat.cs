using MetaRewarding.Modeling.Llama;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Training;

/// <summary>
/// Checkpoint weights of a LoRA run: only the adapters, as a PEFT adapter folder (the frozen base never changes, so
/// writing it at every checkpoint would cost its full size for nothing). Loading needs the same adapters attached.
/// </summary>
public sealed class LoraWeightsFormat : IModelWeightsFormat
{
    public void Save(nn.Module model, string folder) => AdaptersOf(model).Save(folder, baseModelPath: null);

    public void Load(nn.Module model, string folder) => AdaptersOf(model).LoadWeights(folder);

    private static Lora.LoraAdapters AdaptersOf(nn.Module model) => (model as LlamaForCausalLM)?.Lora
        ?? throw new ArgumentException($"{nameof(LoraWeightsFormat)} stores the LoRA adapters of a Llama model; this model has none attached.", nameof(model));
}
