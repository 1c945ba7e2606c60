using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Lora;

namespace MetaRewarding.Modeling.Planning;

/// <summary>What a memory plan is computed for: the model, how it runs, and the three phases' batch shapes.</summary>
/// <param name="Config">The model's shape.</param>
/// <param name="ComputeBytes">Bytes per element of the compute dtype (2 for bf16/fp16, 4 for fp32).</param>
/// <param name="Cuda">True on a GPU: the CUDA context and allocator reserve are added.</param>
public sealed record TrainingShape(LlamaConfig Config, int ComputeBytes, bool Cuda)
{
    /// <summary>Sequences decoded together, and the prompt + new tokens each may hold in the KV cache.</summary>
    public int GenerationBatch { get; init; } = 64;

    public int GenerationTokens { get; init; } = 2048;

    /// <summary>Sequences per forward pass when scoring reference log-probs.</summary>
    public int ScoringBatch { get; init; } = 16;

    /// <summary>Preference pairs per forward/backward pass (each is two sequences: chosen and rejected).</summary>
    public int MicroBatchPairs { get; init; } = 16;

    /// <summary>Tokens of the longest training sequence (prompt + completion).</summary>
    public int SequenceTokens { get; init; } = 2048;

    /// <summary>LoRA adapters instead of full fine-tuning, or null.</summary>
    public LoraOptions? Lora { get; init; }

    /// <summary>Activation checkpointing per decoder layer.</summary>
    public bool GradientCheckpointing { get; init; }
}
