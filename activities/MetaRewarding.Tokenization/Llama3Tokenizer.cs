namespace MetaRewarding.Tokenization;

/// <summary>
/// Builds Llama 3 / 3.1 tokenizers (and other byte-level BPEs in Hugging Face format) from the
/// files of a model folder.
/// </summary>
public static class Llama3Tokenizer
{
    public const string BeginOfText = "<|begin_of_text|>";
    public const string EndOfText = "<|end_of_text|>";
    public const string StartHeader = "<|start_header_id|>";
    public const string EndHeader = "<|end_header_id|>";
    public const string EndOfTurn = "<|eot_id|>";

    /// <summary>Llama 3.1's "end of message" (a tool call awaits its result); also ends generation.</summary>
    public const string EndOfMessage = "<|eom_id|>";

    /// <summary>Ids 0..127999 are BPE ranks; the 256 special tokens follow.</summary>
    public const int RankCount = 128_000;

    public const int SpecialTokenCount = 256;

    /// <summary>From a Hugging Face tokenizer.json (ranks from the vocabulary, special tokens from added_tokens).</summary>
    public static ByteLevelBpeTokenizer FromTokenizerJson(string tokenizerJsonPath, HfTokenizerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var json = HfTokenizerJson.Read(tokenizerJsonPath);
        var specials = json.AddedTokens.ToDictionary(t => t.Content, t => t.Id, StringComparer.Ordinal);
        return ByteLevelBpeTokenizer.Create(
            $"byte-level BPE ({json.Pattern}) from {tokenizerJsonPath}",
            json.BytesByRank,
            json.Pattern,
            AssignRoles(specials, config, tokenizerJsonPath));
    }

    /// <summary>
    /// From Meta's tiktoken <c>tokenizer.model</c>. The file holds only the ranks; the special
    /// tokens come from tokenizer_config.json's added_tokens_decoder when present (this is how
    /// the Llama 3 and 3.1 layouts are told apart), else Meta's Llama 3 layout is assumed.
    /// </summary>
    public static ByteLevelBpeTokenizer FromTiktokenModel(string tokenizerModelPath, HfTokenizerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Dictionary<int, byte[]> ranks;
        using (var stream = File.OpenRead(tokenizerModelPath))
        {
            ranks = TiktokenRankFile.Read(stream, tokenizerModelPath);
        }

        var specials = config.AddedTokens.Count > 0
            ? config.AddedTokens.Where(p => !ranks.ContainsKey(p.Key)).ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal)
            : DefaultSpecialTokens(ranks.Keys.Max() + 1);
        return ByteLevelBpeTokenizer.Create(
            $"Llama 3 tiktoken ranks from {tokenizerModelPath}",
            ranks,
            PreTokenizerPattern.Cl100k,
            AssignRoles(specials, config, tokenizerModelPath));
    }

    /// <summary>
    /// Meta's Llama 3 layout (llama3/tokenizer.py): begin/end of text, reserved 0–3, start/end
    /// header, reserved 4, eot, then reserved 5 onward, numbered after the last rank.
    /// </summary>
    public static Dictionary<string, int> DefaultSpecialTokens(int firstId)
    {
        var names = new List<string>
        {
            BeginOfText, EndOfText,
            "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
            "<|reserved_special_token_2|>", "<|reserved_special_token_3|>",
            StartHeader, EndHeader, "<|reserved_special_token_4|>", EndOfTurn,
        };
        for (var reserved = 5; names.Count < SpecialTokenCount; reserved++)
        {
            names.Add($"<|reserved_special_token_{reserved}|>");
        }

        return names.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => firstId + p.index, StringComparer.Ordinal);
    }

    /// <summary>
    /// BOS / EOS / PAD as tokenizer_config.json names them, falling back to the Llama 3 (then
    /// GPT-2) spellings; EOT is Llama 3's &lt;|eot_id|&gt; when the tokenizer has it.
    /// </summary>
    internal static SpecialTokenSet AssignRoles(Dictionary<string, int> specials, HfTokenizerConfig config, string source)
    {
        return new SpecialTokenSet(
            specials,
            beginOfText: Role(config.BosToken, "bos_token", BeginOfText, "<|endoftext|>"),
            endOfText: Role(config.EosToken, "eos_token", EndOfText, "<|endoftext|>"),
            endOfTurn: Role(null, "eot", EndOfTurn),
            padding: Role(config.PadToken, "pad_token"));

        int? Role(string? configured, string field, params string[] fallbacks)
        {
            if (configured is not null)
            {
                return specials.TryGetValue(configured, out var id)
                    ? id
                    : throw new InvalidDataException($"{source}: tokenizer_config.json's {field} '{configured}' is not one of the tokenizer's special tokens.");
            }

            foreach (var fallback in fallbacks)
            {
                if (specials.TryGetValue(fallback, out var id))
                {
                    return id;
                }
            }

            return null;
        }
    }
}
