using MetaRewarding.Modeling.Llama;

namespace MetaRewarding.Modeling.Planning;

/// <summary>
/// Device bytes each phase of an iteration needs at its peak (generation, reference log-probs, DPO training), from
/// the model's shape and how this engine runs it: weights in the compute dtype; full fine-tuning keeps gradients in
/// the compute dtype and AdamW state in fp32 (moments, plus master weights for bf16/fp16, <see cref="Training.MasterWeightAdamW"/>);
/// LoRA keeps fp32 adapters, their gradients and moments. Activations are counted from the tensors autograd keeps
/// per token and layer (<see cref="SavedPerTokenPerLayer"/>) and the fp32 vocabulary head; checkpointing keeps one
/// hidden state per layer plus one layer's activations. The figures were checked against the peak memory of
/// training on CPU (README.md, "Train Llama-3-8B on one GPU").
/// </summary>
public static class MemoryPlan
{
    /// <summary>CUDA context, cuBLAS workspaces and what the caching allocator holds back (measured on H100/H200 runs: ~1–2 GiB).</summary>
    public const long CudaReserveBytes = 3L << 29;

    public static IReadOnlyList<PhaseMemory> Compute(TrainingShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return [Generation(shape), Reference(shape), Training(shape)];
    }

    /// <summary>Parameters of the model (embeddings, layers, final norm, untied head).</summary>
    public static long ParameterCount(LlamaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        long h = config.HiddenSize, attention = config.NumAttentionHeads * (long)config.HeadDim, kv = config.NumKeyValueHeads * (long)config.HeadDim;
        var layer = (h * attention) + (2 * h * kv) + (attention * h) + (3 * h * config.IntermediateSize) + (2 * h);
        var embeddings = config.VocabSize * h;
        return embeddings + (config.NumHiddenLayers * layer) + h + (config.TieWordEmbeddings ? 0 : embeddings);
    }

    /// <summary>Trainable elements of LoRA adapters on every layer's target projections (and lm_head when targeted).</summary>
    public static long AdapterParameterCount(LlamaConfig config, Lora.LoraOptions lora)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(lora);
        return lora.TargetModules.Sum(t =>
        {
            var (inFeatures, outFeatures) = ProjectionShape(config, t);
            return (t == "lm_head" ? 1 : config.NumHiddenLayers) * (long)lora.Rank * (inFeatures + outFeatures);
        });
    }

    /// <summary>
    /// Bytes autograd keeps per token in one decoder layer: the layer input and both norms' normalised values and
    /// outputs, the rotated queries, the repeated keys and values, attention's output and its merged copy, the
    /// residual, the MLP's gate, its SiLU, up and product (all in the compute dtype), attention's fp32 log-sum-exp,
    /// and for bf16 the norms' fp32 copies of their inputs.
    /// </summary>
    public static long SavedPerTokenPerLayer(LlamaConfig config, int computeBytes)
    {
        ArgumentNullException.ThrowIfNull(config);
        long h = config.HiddenSize, attention = config.NumAttentionHeads * (long)config.HeadDim;
        var widened = computeBytes < 4 ? 2 * 4 * h : 0;
        return (computeBytes * ((6 * h) + (5 * attention) + (4L * config.IntermediateSize))) + (4L * config.NumAttentionHeads) + widened;
    }

    /// <summary>
    /// Bytes per token of the vocabulary head at the start of backward: the fp32 logits kept for log-sum-exp and two
    /// fp32 gradients of the same size (of log-sum-exp and of the gather), plus the compute-dtype gradient into the
    /// projection.
    /// </summary>
    public static long HeadPerToken(LlamaConfig config, int computeBytes)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ((3L * 4) + (computeBytes < 4 ? computeBytes : 0)) * config.VocabSize;
    }

    private static PhaseMemory Generation(TrainingShape shape)
    {
        var c = shape.Config;
        var weights = ParameterCount(c) * shape.ComputeBytes;
        var kv = (long)shape.GenerationBatch * shape.GenerationTokens * 2L * c.NumHiddenLayers * c.NumKeyValueHeads * c.HeadDim * shape.ComputeBytes;

        // Prefilling one prompt runs one layer at a time; each decoding step holds the batch's fp32 logits (and the sampler's copy).
        var prefill = (long)shape.GenerationTokens * SavedPerTokenPerLayer(c, shape.ComputeBytes);
        var logits = 2L * shape.GenerationBatch * c.VocabSize * 4;
        return new PhaseMemory("generation", weights, 0, 0, Math.Max(prefill, logits), kv, Reserve(shape));
    }

    private static PhaseMemory Reference(TrainingShape shape)
    {
        var c = shape.Config;
        var tokens = (long)shape.ScoringBatch * shape.SequenceTokens;

        // No graph: one layer's intermediates at a time, then the fp32 logits and log-sum-exp's temporary.
        var activations = tokens * (SavedPerTokenPerLayer(c, shape.ComputeBytes) + (2L * 4 * c.VocabSize));
        return new PhaseMemory("reference log-probs", ParameterCount(c) * shape.ComputeBytes, 0, 0, activations, 0, Reserve(shape));
    }

    private static PhaseMemory Training(TrainingShape shape)
    {
        var c = shape.Config;
        var s = shape.ComputeBytes;
        var parameters = ParameterCount(c);
        var largest = (long)c.VocabSize * c.HiddenSize;
        long weights, gradients, optimizer;
        if (shape.Lora is { } lora)
        {
            var adapters = AdapterParameterCount(c, lora);
            weights = (parameters * s) + (adapters * 4);
            gradients = adapters * 4;
            optimizer = adapters * 8;
        }
        else
        {
            weights = parameters * s;
            gradients = parameters * s;

            // fp32 moments, fp32 masters for half-precision weights, and the step's fp32 gradient copy and
            // denominator for the largest parameter (AdamW steps one parameter at a time).
            optimizer = (parameters * (8 + (s < 4 ? 4 : 0))) + (2 * 4 * largest);
        }

        var tokens = 2L * shape.MicroBatchPairs * shape.SequenceTokens;
        var perLayer = SavedPerTokenPerLayer(c, s) + LoraPerTokenPerLayer(c, shape.Lora, s);

        // Checkpointing keeps each layer's input (and TorchSharp's output placeholder) and recomputes one layer at a time.
        var layers = shape.GradientCheckpointing
            ? (c.NumHiddenLayers * 2L * c.HiddenSize * s) + perLayer
            : c.NumHiddenLayers * perLayer;
        var activations = tokens * (layers + HeadPerToken(c, s) + (3L * c.HiddenSize * s));
        return new PhaseMemory("DPO training", weights, gradients, optimizer, activations, 0, Reserve(shape));
    }

    /// <summary>
    /// What LoRA adds per token and layer, for each target's input: with dropout, the dropped fp32 copy and its fp32
    /// mask (8 bytes per element); on a bf16 model, the fp32 copy the adapter runs on (4 bytes). Checked on CPU (100m,
    /// fp32, rank 16 on all seven projections, dropout 0.05, DPO 4 pairs × 512): planned 5,301 MB, measured 5,283 MB.
    /// </summary>
    private static long LoraPerTokenPerLayer(LlamaConfig config, Lora.LoraOptions? lora, int computeBytes) => lora is null
        ? 0
        : lora.TargetModules.Where(t => t != "lm_head")
            .Sum(t => ((lora.Dropout > 0 ? 8L : 0L) + (computeBytes < 4 ? 4L : 0L)) * ProjectionShape(config, t).In);

    private static (long In, long Out) ProjectionShape(LlamaConfig c, string module)
    {
        long h = c.HiddenSize, attention = c.NumAttentionHeads * (long)c.HeadDim, kv = c.NumKeyValueHeads * (long)c.HeadDim;
        return module switch
        {
            "q_proj" => (h, attention),
            "k_proj" or "v_proj" => (h, kv),
            "o_proj" => (attention, h),
            "gate_proj" or "up_proj" => (h, c.IntermediateSize),
            "down_proj" => (c.IntermediateSize, h),
            "lm_head" => (h, c.VocabSize),
            _ => throw new ArgumentException($"'{module}' is not a Llama projection.", nameof(module)),
        };
    }

    private static long Reserve(TrainingShape shape) => shape.Cuda ? CudaReserveBytes : 0;
}
