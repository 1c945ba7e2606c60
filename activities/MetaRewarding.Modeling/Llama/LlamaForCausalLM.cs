using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Lora;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Llama;

/// <summary>
/// A Llama-architecture causal language model whose parameter names, shapes and numerics are Hugging Face's
/// (<c>model.embed_tokens.weight</c>, <c>model.layers.0.self_attn.q_proj.weight</c>, …, <c>lm_head.weight</c>).
/// With tied embeddings there is no <c>lm_head</c> parameter: the embedding matrix is the output projection,
/// exactly as <c>named_parameters()</c> lists it in transformers.
/// </summary>
public sealed class LlamaForCausalLM : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly LlamaModel model;
    private readonly ProjectionWeight? lmHead;

    private LlamaForCausalLM(LlamaConfig config, ScalarType dtype, Device device) : base(nameof(LlamaForCausalLM))
    {
        Config = config;
        model = new LlamaModel(config, dtype, device);
        register_module("model", model);
        if (!config.TieWordEmbeddings)
        {
            lmHead = new ProjectionWeight("lm_head", config.HiddenSize, config.VocabSize, dtype, device);
            register_module("lm_head", lmHead);
        }
    }

    public LlamaConfig Config { get; }

    /// <summary>The compute (and parameter) dtype; read from the weights, so it follows a later <c>to(dtype)</c>.</summary>
    public ScalarType Dtype => model.Embeddings.Weight.dtype;

    /// <summary>Where the weights live; read from them, so it follows a later <c>to(device)</c>.</summary>
    public Device Device => model.Embeddings.Weight.device;

    /// <summary>The LoRA adapters attached with <see cref="LoraAdapters.Attach"/>, or null.</summary>
    public LoraAdapters? Lora { get; internal set; }

    /// <summary>
    /// The base weights with their Hugging Face names, without any LoRA adapter parameter: what a Hugging Face folder
    /// holds (saving, loading and full-weight checkpoints use this, never named_parameters()).
    /// </summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> BaseParameters() =>
        [.. named_parameters().Where(p => !LoraAdapters.IsAdapterParameter(p.name))];

    /// <summary>Tells every layer whether its forward pass draws random numbers (LoRA dropout), for checkpointing's recompute.</summary>
    internal void SetLayerRandomness(bool drawsRandomNumbers)
    {
        foreach (var layer in model.Layers)
        {
            layer.DrawsRandomNumbers = drawsRandomNumbers;
        }
    }

    /// <summary>
    /// Activation checkpointing per decoder layer while training (transformers' gradient_checkpointing_enable()):
    /// the same gradients for one extra forward pass per step, and one hidden state per layer kept instead of all
    /// of attention's and the MLP's intermediates.
    /// </summary>
    public bool GradientCheckpointing
    {
        get => model.GradientCheckpointing;
        set => model.GradientCheckpointing = value;
    }

    /// <summary>A model with transformers' initialisation (normal(0, 0.02) matrices, unit norms), reproducible from <paramref name="seed"/>.</summary>
    public static LlamaForCausalLM Create(LlamaConfig config, ScalarType dtype, Device device, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var created = new LlamaForCausalLM(config, dtype, device);
        using var generator = new Generator(unchecked((ulong)(seed ?? Random.Shared.NextInt64())), device);
        using (no_grad())
        {
            foreach (var (name, parameter) in created.named_parameters())
            {
                if (name.EndsWith("norm.weight", StringComparison.Ordinal))
                {
                    parameter.fill_(1.0);
                }
                else
                {
                    parameter.normal_(0.0, 0.02, generator);
                }
            }
        }
        created.eval();
        return created;
    }

    /// <summary>Loads a Hugging Face folder (config.json + safetensors, single or sharded) into <paramref name="computeDtype"/> on <paramref name="device"/>.</summary>
    public static LlamaForCausalLM FromPretrained(string folder, ScalarType computeDtype, Device device)
    {
        var config = LlamaConfig.FromJsonFile(Path.Combine(folder, HfFolder.ConfigFileName));
        var loaded = new LlamaForCausalLM(config, computeDtype, device);
        try
        {
            HfFolder.LoadWeights(folder, loaded.named_parameters().ToList(), config);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
        loaded.eval();
        return loaded;
    }

    /// <summary>Writes config.json, generation_config.json and safetensors (sharded above the shard size) the way transformers does.</summary>
    public void SavePretrained(string folder, ScalarType? storageDtype = null) =>
        HfFolder.Save(folder, Config, BaseParameters(), storageDtype ?? Dtype);

    /// <summary>Logits [B, T, vocab] in fp32 for <paramref name="inputIds"/> [B, T] (int64); mask [B, T], 1 = token, 0 = padding.</summary>
    public override Tensor forward(Tensor inputIds, Tensor? attentionMask) => ComputeLogits(inputIds, attentionMask, cache: null, lastPositionOnly: false);

    /// <summary>
    /// The incremental form used by generation: <paramref name="attentionMask"/> covers the cached past and the
    /// new tokens ([B, past + T]); new keys/values are appended to <paramref name="cache"/>. With
    /// <paramref name="lastPositionOnly"/> only the last position's logits are computed ([B, 1, vocab]), which
    /// saves the vocabulary projection of the whole prompt.
    /// </summary>
    public Tensor ComputeLogits(Tensor inputIds, Tensor? attentionMask, KvCache? cache, bool lastPositionOnly)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        if (inputIds.dim() != 2 || inputIds.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"input ids must be int64 [batch, tokens]; got {inputIds.dtype} [{string.Join(", ", inputIds.shape)}].", nameof(inputIds));
        }
        using var scope = NewDisposeScope();
        var hidden = model.Forward(inputIds, attentionMask, cache);
        if (lastPositionOnly)
        {
            hidden = hidden.narrow(1, hidden.shape[1] - 1, 1);
        }
        return Head(hidden).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One decoding step of a continuous batch: row b feeds <paramref name="inputIds"/>[b] ([B, 1]) at its own position
    /// <paramref name="positionIds"/>[b] ([B, 1]) and attends to the cached keys where <paramref name="keyMask"/>
    /// (bool [B, 1, 1, Tk]) is true. Returns fp32 logits [B, vocab].
    /// </summary>
    internal Tensor DecodeStep(Tensor inputIds, Tensor positionIds, Tensor keyMask, IKvCacheWriter cache)
    {
        using var scope = NewDisposeScope();
        var hidden = model.Forward(inputIds, positionIds, keyMask, isCausal: false, cache);
        return Head(hidden).squeeze(1).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Runs prompt tokens <paramref name="inputIds"/> [1, T] at positions <paramref name="start"/>..start+T−1 through every
    /// layer so that their keys and values land in <paramref name="cache"/> (which already holds positions 0..start−1).
    /// No logits: the prompt's last token is fed by the decoding step, which samples from it.
    /// </summary>
    internal void Prefill(Tensor inputIds, long start, IKvCacheWriter cache)
    {
        using var scope = NewDisposeScope();
        var steps = inputIds.shape[1];
        var device = inputIds.device;
        var positions = arange(start, start + steps, ScalarType.Int64, device).unsqueeze(0);
        Tensor? mask = null;
        if (start > 0)
        {
            // Query q (at position start + q) sees every cached key and the new keys up to itself: [1, 1, T, start + T].
            var keys = arange(0, start + steps, ScalarType.Int64, device).unsqueeze(0);
            mask = keys.le(positions.squeeze(0).unsqueeze(1)).unsqueeze(0).unsqueeze(0);
        }

        model.Forward(inputIds, positions, mask, isCausal: mask is null, cache);
    }

    private Tensor Head(Tensor hidden) => lmHead is not null ? lmHead.forward(hidden) : nn.functional.linear(hidden, model.Embeddings.Weight);
}
