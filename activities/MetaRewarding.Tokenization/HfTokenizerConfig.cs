using System.Text.Json;

namespace MetaRewarding.Tokenization;

/// <summary>
/// The parts of a Hugging Face <c>tokenizer_config.json</c> this project uses: the BOS / EOS / PAD
/// spellings, the chat template text, and <c>added_tokens_decoder</c> (the special tokens, for
/// folders that ship a tiktoken <c>tokenizer.model</c> instead of a tokenizer.json).
/// </summary>
public sealed record HfTokenizerConfig(
    string? BosToken,
    string? EosToken,
    string? PadToken,
    string? ChatTemplate,
    IReadOnlyDictionary<int, string> AddedTokens)
{
    public static HfTokenizerConfig Empty { get; } = new(null, null, null, null, new Dictionary<int, string>());

    public static HfTokenizerConfig Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: expected a JSON object.");
        }

        var added = new Dictionary<int, string>();
        if (root.TryGetProperty("added_tokens_decoder", out var decoder) && decoder.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in decoder.EnumerateObject())
            {
                if (!int.TryParse(entry.Name, out var id) || TokenText(entry.Value) is not { } content)
                {
                    throw new InvalidDataException($"{path}: added_tokens_decoder entry '{entry.Name}' needs an integer key and a 'content'.");
                }

                added[id] = content;
            }
        }

        return new HfTokenizerConfig(
            TokenText(root, "bos_token"),
            TokenText(root, "eos_token"),
            TokenText(root, "pad_token"),
            ReadChatTemplate(root, path),
            added);
    }

    /// <summary>The default template: a string, or the entry named "default" of a list of named templates.</summary>
    private static string? ReadChatTemplate(JsonElement root, string path)
    {
        if (!root.TryGetProperty("chat_template", out var template))
        {
            return null;
        }

        switch (template.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return template.GetString();
            case JsonValueKind.Array:
                foreach (var named in template.EnumerateArray())
                {
                    if (named.TryGetProperty("name", out var name) && name.GetString() == "default")
                    {
                        return named.GetProperty("template").GetString();
                    }
                }

                throw new InvalidDataException($"{path}: chat_template is a list without an entry named \"default\".");
            default:
                throw new InvalidDataException($"{path}: chat_template must be a string or a list of {{name, template}}.");
        }
    }

    private static string? TokenText(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? TokenText(value) : null;

    /// <summary>A token is written either as its text or as an AddedToken object with "content".</summary>
    private static string? TokenText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString(),
        _ => null,
    };
}
