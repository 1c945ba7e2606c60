namespace MetaRewarding.Modeling.Llama;

/// <summary>Shapes of published models, for planning and benchmarks without their weights.</summary>
public static class LlamaPresets
{
    /// <summary>Meta-Llama-3-8B(-Instruct)'s config.json: 8,030,261,248 parameters.</summary>
    public static LlamaConfig Llama3With8B { get; } = new()
    {
        VocabSize = 128256, HiddenSize = 4096, IntermediateSize = 14336, NumHiddenLayers = 32, NumAttentionHeads = 32,
        NumKeyValueHeads = 8, HeadDim = 128, MaxPositionEmbeddings = 8192, RmsNormEps = 1e-5, RopeTheta = 500000,
    };

    /// <summary>The presets by the name the CLI takes.</summary>
    public static IReadOnlyDictionary<string, LlamaConfig> ByName { get; } = new Dictionary<string, LlamaConfig>(StringComparer.OrdinalIgnoreCase)
    {
        ["llama-3-8b"] = Llama3With8B,
    };
}
