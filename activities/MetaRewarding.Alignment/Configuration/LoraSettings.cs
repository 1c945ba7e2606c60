namespace MetaRewarding.Alignment.Configuration;

/// <summary>
/// LoRA adapters for an iteration's DPO instead of full fine-tuning (PEFT's LoraConfig names: r, lora_alpha,
/// lora_dropout, target_modules). The base stays frozen, the DPO reference is the base with the adapters switched
/// off, the adapter is saved in PEFT's format beside M_{t+1}, and M_{t+1} is the merged model. The paper fine-tunes
/// all weights; LoRA is what fits when full fine-tuning does not. [choice]
/// </summary>
public sealed record LoraSettings
{
    /// <summary>The Llama projections an adapter can target (the model is checked again when it is loaded).</summary>
    public static IReadOnlyList<string> LlamaProjections { get; } = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "lm_head"];

    /// <summary>r, the adapters' inner dimension. 16 is a common choice for 8B models. [choice]</summary>
    public int Rank { get; init; } = 16;

    /// <summary>lora_alpha; updates are scaled by alpha / rank. 2 × rank, the usual pairing. [choice]</summary>
    public double Alpha { get; init; } = 32;

    /// <summary>lora_dropout on the adapters' input while training. [choice]</summary>
    public double Dropout { get; init; } = 0.05;

    /// <summary>Projections that get adapters: every attention and MLP projection (QLoRA's recipe). [choice]</summary>
    public IReadOnlyList<string> TargetModules { get; init; } = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];
}
