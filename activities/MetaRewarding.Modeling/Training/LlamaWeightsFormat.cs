using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Llama;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Training;

/// <summary>
/// Checkpoint weights of a <see cref="LlamaForCausalLM"/> as a Hugging Face folder (config.json + safetensors in the
/// model's own dtype, so fp32 weights round-trip bit for bit): every checkpoint is also a model transformers can load.
/// </summary>
public sealed class LlamaWeightsFormat : IModelWeightsFormat
{
    public void Save(nn.Module model, string folder) => AsLlama(model).SavePretrained(folder);

    public void Load(nn.Module model, string folder)
    {
        var llama = AsLlama(model);
        HfFolder.LoadWeights(folder, llama.BaseParameters(), llama.Config);
    }

    private static LlamaForCausalLM AsLlama(nn.Module model) => model as LlamaForCausalLM
        ?? throw new ArgumentException(
            $"{nameof(LlamaWeightsFormat)} stores Llama models only; got {model?.GetType().Name ?? "null"}. Use {nameof(TorchSharpWeightsFormat)} for other modules.",
            nameof(model));
}
