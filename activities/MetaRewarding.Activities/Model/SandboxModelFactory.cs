using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Sandbox;
using MetaRewarding.Tokenization;
using static TorchSharp.torch;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// The sandbox's tiny Llama (docs/SANDBOX.md: d = 96, 3 layers, 4 heads, FFN 256, 339k parameters) over a character
/// vocabulary of exactly the sandbox's symbols, with tied embeddings (the prototype's parameter count) and a
/// context of <see cref="SandboxLimits.ContextWindow"/>.
/// </summary>
public static class SandboxModelFactory
{
    /// <summary>&lt;pad&gt;, &lt;bos&gt;, &lt;eos&gt; and the sandbox's 40 symbols.</summary>
    public static CharacterTokenizer CreateTokenizer() => CharacterTokenizer.Create(SandboxAlphabet.Symbols);

    /// <summary>The model's shape for <paramref name="options"/>; bad sizes are configuration errors naming the field.</summary>
    public static LlamaConfig CreateConfig(SandboxOptions options, CharacterTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var errors = new List<string>();
        if (options.Heads < 1 || options.HiddenSize < 2 || options.HiddenSize % options.Heads != 0 || options.HiddenSize / options.Heads % 2 != 0)
        {
            errors.Add($"sandbox.hiddenSize must be a positive multiple of sandbox.heads with an even head width (hidden / heads), got hidden {options.HiddenSize}, heads {options.Heads}");
        }

        if (options.Layers < 1)
        {
            errors.Add($"sandbox.layers must be >= 1, got {options.Layers}");
        }

        if (options.IntermediateSize < 1)
        {
            errors.Add($"sandbox.intermediateSize must be >= 1, got {options.IntermediateSize}");
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        var specials = tokenizer.SpecialTokens;
        return new LlamaConfig
        {
            VocabSize = tokenizer.VocabularySize,
            HiddenSize = options.HiddenSize,
            IntermediateSize = options.IntermediateSize,
            NumHiddenLayers = options.Layers,
            NumAttentionHeads = options.Heads,
            NumKeyValueHeads = options.Heads,
            HeadDim = options.HiddenSize / options.Heads,
            TieWordEmbeddings = true,
            BosTokenId = specials.BeginOfText,
            EosTokenIds = specials.EndOfText is { } eos ? [eos] : [],
            PadTokenId = specials.Padding,
            MaxPositionEmbeddings = SandboxLimits.ContextWindow,
        };
    }

    /// <summary>A freshly initialised model, reproducible from <paramref name="seed"/>.</summary>
    public static LlamaForCausalLM CreateModel(LlamaConfig config, ScalarType dtype, Device device, long seed) =>
        LlamaForCausalLM.Create(config, dtype, device, seed);
}
