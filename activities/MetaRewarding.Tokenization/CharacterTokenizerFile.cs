using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MetaRewarding.Files;

namespace MetaRewarding.Tokenization;

/// <summary>
/// The project's own tokenizer file, <c>metarewarding-tokenizer.json</c>, saved in a model folder
/// next to the weights. Format (version 1):
/// <code>
/// { "format": "metarewarding-tokenizer", "version": 1, "kind": "characters",
///   "special_tokens": { "&lt;pad&gt;": 0, "&lt;bos&gt;": 1, "&lt;eos&gt;": 2 },
///   "bos_token": "&lt;bos&gt;", "eos_token": "&lt;eos&gt;", "pad_token": "&lt;pad&gt;",
///   "symbols": { "\n": 3, " ": 4, ... } }
/// </code>
/// Each key of "symbols" is exactly one Unicode scalar. Or, for the built-in OpenAI encodings:
/// <code>{ "format": "metarewarding-tokenizer", "version": 1, "kind": "openai", "encoding": "gpt2" }</code>
/// </summary>
public static class CharacterTokenizerFile
{
    public const string FileName = "metarewarding-tokenizer.json";
    public const string FormatName = "metarewarding-tokenizer";
    public const int Version = 1;

    public static void Save(CharacterTokenizer tokenizer, string modelFolder)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var specials = new JsonObject();
        foreach (var (text, id) in tokenizer.SpecialTokens.IdsByText.OrderBy(p => p.Value))
        {
            specials[text] = id;
        }

        var symbols = new JsonObject();
        foreach (var (symbol, id) in tokenizer.Symbols)
        {
            symbols[symbol.ToString()] = id;
        }

        var root = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = Version,
            ["kind"] = "characters",
            ["special_tokens"] = specials,
            ["bos_token"] = RoleText(tokenizer.SpecialTokens, tokenizer.SpecialTokens.BeginOfText),
            ["eos_token"] = RoleText(tokenizer.SpecialTokens, tokenizer.SpecialTokens.EndOfText),
            ["pad_token"] = RoleText(tokenizer.SpecialTokens, tokenizer.SpecialTokens.Padding),
            ["symbols"] = symbols,
        };
        Directory.CreateDirectory(modelFolder);
        AtomicFile.WriteAllText(Path.Combine(modelFolder, FileName), root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Saves the marker file that selects a built-in OpenAI encoding ("gpt2" or "cl100k_base").</summary>
    public static void SaveOpenAiMarker(string encoding, string modelFolder)
    {
        _ = OpenAiEncodings.ByName(encoding);
        var root = new JsonObject { ["format"] = FormatName, ["version"] = Version, ["kind"] = "openai", ["encoding"] = encoding };
        Directory.CreateDirectory(modelFolder);
        AtomicFile.WriteAllText(Path.Combine(modelFolder, FileName), root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Loads the tokenizer the file describes (characters, or a built-in OpenAI encoding).</summary>
    public static ITextTokenizer Load(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }

        if (root is not JsonObject obj || (string?)obj["format"] != FormatName)
        {
            throw new InvalidDataException($"{path}: expected an object with \"format\": \"{FormatName}\".");
        }

        if ((int?)obj["version"] != Version)
        {
            throw new InvalidDataException($"{path}: version {obj["version"]?.ToJsonString() ?? "(missing)"} is not supported; this build reads version {Version}.");
        }

        return (string?)obj["kind"] switch
        {
            "characters" => LoadCharacters(obj, path),
            "openai" => OpenAiEncodings.ByName((string?)obj["encoding"] ?? throw new InvalidDataException($"{path}: \"kind\": \"openai\" needs an \"encoding\" (gpt2 or cl100k_base).")),
            var other => throw new InvalidDataException($"{path}: unknown kind '{other}'; expected \"characters\" or \"openai\"."),
        };
    }

    private static CharacterTokenizer LoadCharacters(JsonObject obj, string path)
    {
        var specials = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (text, id) in Object(obj, "special_tokens", path))
        {
            specials[text] = Id(id, $"special_tokens.{text}", path);
        }

        var symbols = new Dictionary<Rune, int>();
        foreach (var (text, id) in Object(obj, "symbols", path))
        {
            var runes = text.EnumerateRunes().ToArray();
            if (runes.Length != 1)
            {
                throw new InvalidDataException($"{path}: symbol \"{text}\" must be exactly one character (Unicode scalar).");
            }

            symbols[runes[0]] = Id(id, $"symbols[\"{text}\"]", path);
        }

        try
        {
            var set = new SpecialTokenSet(specials, Role("bos_token"), Role("eos_token"), endOfTurn: null, Role("pad_token"));
            return new CharacterTokenizer(symbols, set);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }

        int? Role(string field) => (string?)obj[field] is { } text
            ? specials.TryGetValue(text, out var id) ? id : throw new InvalidDataException($"{path}: {field} '{text}' is not listed in special_tokens.")
            : null;
    }

    private static JsonObject Object(JsonObject obj, string field, string path) =>
        obj[field] as JsonObject ?? throw new InvalidDataException($"{path}: \"{field}\" must be an object.");

    private static int Id(JsonNode? node, string field, string path) =>
        node is JsonValue value && value.TryGetValue<int>(out var id) && id >= 0
            ? id
            : throw new InvalidDataException($"{path}: {field} must be a non-negative integer id.");

    private static string? RoleText(SpecialTokenSet set, int? id) => id is { } value && set.TryGetText(value, out var text) ? text : null;
}
