using System.Text.Json;

namespace MetaRewarding.Tokenization;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c> of a byte-level BPE (Llama 3, GPT-2) and converts it
/// to what a tiktoken-style tokenizer needs: mergeable ranks, the split pattern, added tokens.
/// </summary>
/// <remarks>
/// Conversion rule: a token's rank is its id. That is exact for vocabularies converted from
/// tiktoken (Llama 3, GPT-2), whose merge list is ordered by the id of the merged token; the
/// reader checks this and refuses files where it does not hold, rather than tokenizing
/// differently from the original.
/// </remarks>
public sealed class HfTokenizerJson
{
    private HfTokenizerJson(Dictionary<int, byte[]> bytesByRank, PreTokenizerPattern pattern, IReadOnlyList<(string Content, int Id, bool Special)> addedTokens)
    {
        BytesByRank = bytesByRank;
        Pattern = pattern;
        AddedTokens = addedTokens;
    }

    public Dictionary<int, byte[]> BytesByRank { get; }

    public PreTokenizerPattern Pattern { get; }

    /// <summary>The <c>added_tokens</c> entries (the special tokens of Llama 3 and 3.1).</summary>
    public IReadOnlyList<(string Content, int Id, bool Special)> AddedTokens { get; }

    public static HfTokenizerJson Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
        var root = document.RootElement;

        if (root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind != JsonValueKind.Null)
        {
            throw Unsupported(path, $"it has a normalizer ({TypeOf(normalizer)}); only byte-level BPE tokenizers without normalizer (Llama 3, GPT-2) are supported");
        }

        var model = Required(root, "model", path);
        if (TypeOf(model) != "BPE")
        {
            throw Unsupported(path, $"its model type is '{TypeOf(model)}', not 'BPE'");
        }

        var pattern = ReadPattern(Required(root, "pre_tokenizer", path), path);
        var idsByToken = new Dictionary<string, int>(StringComparer.Ordinal);
        var bytesByRank = new Dictionary<int, byte[]>();
        foreach (var entry in Required(model, "vocab", path).EnumerateObject())
        {
            var id = entry.Value.GetInt32();
            if (!ByteLevelAlphabet.TryToBytes(entry.Name, out var bytes))
            {
                throw Unsupported(path, $"vocabulary entry '{entry.Name}' (id {id}) is not spelled in the byte-level alphabet");
            }

            idsByToken[entry.Name] = id;
            if (!bytesByRank.TryAdd(id, bytes))
            {
                throw new InvalidDataException($"{path}: id {id} appears twice in model.vocab.");
            }
        }

        CheckMergesFollowRanks(Required(model, "merges", path), idsByToken, path);
        return new HfTokenizerJson(bytesByRank, pattern, ReadAddedTokens(root, bytesByRank));
    }

    /// <summary>
    /// Llama 3: Sequence[Split(pattern, Isolated), ByteLevel(use_regex: false)].
    /// GPT-2: ByteLevel(use_regex: true, add_prefix_space: false), whose built-in regex is GPT-2's.
    /// </summary>
    private static PreTokenizerPattern ReadPattern(JsonElement preTokenizer, string path)
    {
        switch (TypeOf(preTokenizer))
        {
            case "ByteLevel":
                if (Bool(preTokenizer, "add_prefix_space"))
                {
                    throw Unsupported(path, "its ByteLevel pre-tokenizer adds a prefix space");
                }

                return PreTokenizerPattern.Gpt2;

            case "Sequence":
                var steps = Required(preTokenizer, "pretokenizers", path).EnumerateArray().ToArray();
                if (steps.Length == 2 && TypeOf(steps[0]) == "Split" && TypeOf(steps[1]) == "ByteLevel"
                    && !Bool(steps[1], "use_regex") && !Bool(steps[1], "add_prefix_space")
                    && steps[0].TryGetProperty("pattern", out var splitPattern)
                    && splitPattern.TryGetProperty("Regex", out var regex)
                    && IsolatesEveryMatch(steps[0]))
                {
                    var spelling = regex.GetString() ?? string.Empty;
                    if (PreTokenizerPatterns.TryRecognize(spelling, out var pattern))
                    {
                        return pattern;
                    }

                    throw Unsupported(path, $"its split regex is not one of the implemented patterns (Llama 3 / cl100k, GPT-2): {spelling}");
                }

                throw Unsupported(path, "its pre-tokenizer sequence is not Split(regex, Isolated) + ByteLevel(use_regex: false)");

            default:
                throw Unsupported(path, $"its pre-tokenizer is '{TypeOf(preTokenizer)}'");
        }
    }

    /// <summary>
    /// "Isolated" keeps every match as its own piece. "Removed" with invert: true keeps the matches
    /// and drops the text between them, of which there is none: the patterns match every character.
    /// </summary>
    private static bool IsolatesEveryMatch(JsonElement split)
    {
        var behavior = split.TryGetProperty("behavior", out var value) ? value.GetString() : null;
        var invert = Bool(split, "invert");
        return (behavior == "Isolated" && !invert) || (behavior == "Removed" && invert);
    }

    private static void CheckMergesFollowRanks(JsonElement merges, Dictionary<string, int> idsByToken, string path)
    {
        var previous = -1;
        var index = 0;
        foreach (var merge in merges.EnumerateArray())
        {
            string left, right;
            if (merge.ValueKind == JsonValueKind.Array)
            {
                left = merge[0].GetString() ?? string.Empty;
                right = merge[1].GetString() ?? string.Empty;
            }
            else
            {
                var text = merge.GetString() ?? string.Empty;
                var space = text.IndexOf(' ', StringComparison.Ordinal);
                if (space < 0)
                {
                    throw new InvalidDataException($"{path}: merge #{index} \"{text}\" is not \"left right\".");
                }

                left = text[..space];
                right = text[(space + 1)..];
            }

            if (!idsByToken.TryGetValue(left + right, out var id))
            {
                throw new InvalidDataException($"{path}: merge #{index} ({left} + {right}) produces a token that is not in the vocabulary.");
            }

            if (id < previous)
            {
                throw Unsupported(path,
                    $"its merges are not ordered by token id (merge #{index}, {left} + {right}, makes id {id} after id {previous}), so ids cannot serve as tiktoken ranks");
            }

            previous = id;
            index++;
        }
    }

    /// <summary>
    /// Every added token, special or not, is split out of the text before BPE (Hugging Face's
    /// rule), so one that also appears in model.vocab (cl100k's tokenizer.json lists
    /// &lt;|endoftext|&gt; in both) is removed from the ranks.
    /// </summary>
    private static List<(string Content, int Id, bool Special)> ReadAddedTokens(JsonElement root, Dictionary<int, byte[]> bytesByRank)
    {
        var added = new List<(string, int, bool)>();
        if (!root.TryGetProperty("added_tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Array)
        {
            return added;
        }

        foreach (var token in tokens.EnumerateArray())
        {
            var id = token.GetProperty("id").GetInt32();
            var content = token.GetProperty("content").GetString() ?? string.Empty;
            bytesByRank.Remove(id);
            added.Add((content, id, Bool(token, "special")));
        }

        return added;
    }

    private static JsonElement Required(JsonElement parent, string name, string path) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new InvalidDataException($"{path}: the required field '{name}' is missing.");

    private static string TypeOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var type) ? type.GetString() ?? "?" : "?";

    private static bool Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static NotSupportedException Unsupported(string path, string why) =>
        new($"{path} cannot be loaded as a tiktoken-style byte-level BPE: {why}.");
}
