using System.Collections.Frozen;

namespace MetaRewarding.Tokenization;

/// <summary>
/// The special tokens of a tokenizer: text ↔ id, plus which of them play the roles the
/// system needs (begin of text, end of text, end of turn, padding). A role is null when the
/// tokenizer has no such token.
/// </summary>
public sealed class SpecialTokenSet
{
    private readonly FrozenDictionary<string, int> _idsByText;
    private readonly FrozenDictionary<int, string> _textsById;

    public SpecialTokenSet(
        IReadOnlyDictionary<string, int> idsByText,
        int? beginOfText = null,
        int? endOfText = null,
        int? endOfTurn = null,
        int? padding = null)
    {
        ArgumentNullException.ThrowIfNull(idsByText);
        foreach (var (text, id) in idsByText)
        {
            if (string.IsNullOrEmpty(text))
            {
                throw new ArgumentException("A special token has empty text; every special token needs a non-empty spelling.", nameof(idsByText));
            }

            if (id < 0)
            {
                throw new ArgumentException($"Special token '{text}' has negative id {id}.", nameof(idsByText));
            }
        }

        _idsByText = idsByText.ToFrozenDictionary(StringComparer.Ordinal);
        var textsById = new Dictionary<int, string>();
        foreach (var (text, id) in idsByText)
        {
            if (!textsById.TryAdd(id, text))
            {
                throw new ArgumentException($"Special tokens '{textsById[id]}' and '{text}' share id {id}; each id may name one token.", nameof(idsByText));
            }
        }

        _textsById = textsById.ToFrozenDictionary();
        BeginOfText = CheckRole(beginOfText, nameof(beginOfText));
        EndOfText = CheckRole(endOfText, nameof(endOfText));
        EndOfTurn = CheckRole(endOfTurn, nameof(endOfTurn));
        Padding = CheckRole(padding, nameof(padding));
    }

    /// <summary>An empty set (no special tokens, no roles).</summary>
    public static SpecialTokenSet None { get; } = new(new Dictionary<string, int>());

    /// <summary>Every special token, keyed by its text.</summary>
    public IReadOnlyDictionary<string, int> IdsByText => _idsByText;

    /// <summary>BOS: prepended to every sequence the model sees.</summary>
    public int? BeginOfText { get; }

    /// <summary>EOS: the end of a document / of generation.</summary>
    public int? EndOfText { get; }

    /// <summary>EOT: the end of one chat turn (Llama 3's &lt;|eot_id|&gt;); null for models without chat turns.</summary>
    public int? EndOfTurn { get; }

    /// <summary>The id used to pad batches, when the tokenizer defines one.</summary>
    public int? Padding { get; }

    public int Count => _idsByText.Count;

    public bool IsSpecial(int id) => _textsById.ContainsKey(id);

    public bool TryGetId(string text, out int id) => _idsByText.TryGetValue(text, out id);

    public bool TryGetText(int id, out string text)
    {
        if (_textsById.TryGetValue(id, out var found))
        {
            text = found;
            return true;
        }

        text = string.Empty;
        return false;
    }

    /// <summary>The id of the special token spelled <paramref name="text"/>; throws naming the known tokens when absent.</summary>
    public int GetId(string text)
    {
        if (_idsByText.TryGetValue(text, out var id))
        {
            return id;
        }

        var known = string.Join(", ", _idsByText.Keys.Order(StringComparer.Ordinal).Take(12));
        throw new KeyNotFoundException(
            $"'{text}' is not a special token of this tokenizer. Known special tokens ({_idsByText.Count}): {known}{(_idsByText.Count > 12 ? ", ..." : string.Empty)}.");
    }

    private int? CheckRole(int? id, string role)
    {
        if (id is { } value && !_textsById.ContainsKey(value))
        {
            throw new ArgumentException($"The {role} id {value} is not one of the special tokens.", role);
        }

        return id;
    }
}
