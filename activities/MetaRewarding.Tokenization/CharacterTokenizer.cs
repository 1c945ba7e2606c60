using System.Text;

namespace MetaRewarding.Tokenization;

/// <summary>
/// One token per character, for the offline demo's synthetic tasks (docs/SANDBOX.md): special tokens
/// first (&lt;pad&gt;=0, &lt;bos&gt;=1, &lt;eos&gt;=2 by default), then one id per symbol. Text with a
/// character outside the alphabet is rejected, never silently dropped: in the demo that can
/// only be a bug in a prompt template.
/// </summary>
public sealed class CharacterTokenizer : ITextTokenizer
{
    /// <summary>The demo's symbols: letters, digits and the template punctuation " :+-|\n=".</summary>
    public const string SandboxAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 :+-|\n=";

    public const string PadToken = "<pad>";
    public const string BosToken = "<bos>";
    public const string EosToken = "<eos>";

    private readonly Dictionary<Rune, int> _idsBySymbol;
    private readonly Dictionary<int, Rune> _symbolsById;
    private readonly SpecialTokenMatcher _specialMatcher;

    /// <param name="idsBySymbol">One id per symbol (a single Unicode scalar).</param>
    /// <param name="specialTokens">Special tokens, with ids disjoint from the symbols'.</param>
    public CharacterTokenizer(IReadOnlyDictionary<Rune, int> idsBySymbol, SpecialTokenSet specialTokens)
    {
        ArgumentNullException.ThrowIfNull(idsBySymbol);
        ArgumentNullException.ThrowIfNull(specialTokens);
        if (idsBySymbol.Count == 0)
        {
            throw new ArgumentException("A character tokenizer needs at least one symbol.", nameof(idsBySymbol));
        }

        _idsBySymbol = new Dictionary<Rune, int>(idsBySymbol);
        _symbolsById = [];
        foreach (var (symbol, id) in idsBySymbol)
        {
            if (id < 0 || specialTokens.IsSpecial(id) || !_symbolsById.TryAdd(id, symbol))
            {
                throw new ArgumentException($"Symbol {Describe(symbol)} has id {id}, which is negative or already taken.", nameof(idsBySymbol));
            }
        }

        SpecialTokens = specialTokens;
        _specialMatcher = new SpecialTokenMatcher(specialTokens.IdsByText.Keys);
        VocabularySize = Math.Max(_symbolsById.Keys.Max(), specialTokens.IdsByText.Values.DefaultIfEmpty(-1).Max()) + 1;
    }

    public string Name => $"characters ({_idsBySymbol.Count} symbols + {SpecialTokens.Count} special)";

    public int VocabularySize { get; }

    public SpecialTokenSet SpecialTokens { get; }

    /// <summary>The symbols in id order.</summary>
    public IReadOnlyList<(Rune Symbol, int Id)> Symbols => [.. _idsBySymbol.Select(p => (p.Key, p.Value)).OrderBy(p => p.Value)];

    /// <summary>&lt;pad&gt;, &lt;bos&gt;, &lt;eos&gt; then the symbols of <paramref name="alphabet"/> in ordinal order.</summary>
    public static CharacterTokenizer Create(string alphabet = SandboxAlphabet)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        var specials = new Dictionary<string, int> { [PadToken] = 0, [BosToken] = 1, [EosToken] = 2 };
        var symbols = alphabet.EnumerateRunes().Distinct().Order().ToArray();
        var ids = symbols.Select((symbol, index) => (symbol, index)).ToDictionary(p => p.symbol, p => specials.Count + p.index);
        return new CharacterTokenizer(ids, new SpecialTokenSet(specials, beginOfText: 1, endOfText: 2, padding: 0));
    }

    public int[] Encode(string text, SpecialTokenHandling handling = SpecialTokenHandling.EncodeAsText)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length);
        var position = 0;
        if (handling == SpecialTokenHandling.Recognize)
        {
            foreach (var (offset, length, special) in _specialMatcher.FindAll(text))
            {
                EncodeSymbols(text, position, offset, ids);
                ids.Add(SpecialTokens.GetId(special));
                position = offset + length;
            }
        }

        EncodeSymbols(text, position, text.Length, ids);
        return [.. ids];
    }

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder(ids.Count);
        foreach (var id in ids)
        {
            if (_symbolsById.TryGetValue(id, out var symbol))
            {
                text.Append(symbol.ToString());
            }
            else if (SpecialTokens.TryGetText(id, out var special))
            {
                if (!skipSpecialTokens)
                {
                    text.Append(special);
                }
            }
            else
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is not in the vocabulary of {Name}.");
            }
        }

        return text.ToString();
    }

    private void EncodeSymbols(string text, int start, int end, List<int> ids)
    {
        var index = start;
        foreach (var rune in text.AsSpan(start, end - start).EnumerateRunes())
        {
            if (!_idsBySymbol.TryGetValue(rune, out var id))
            {
                throw new ArgumentException(
                    $"Character {Describe(rune)} at index {index} is not in the tokenizer's alphabet ({_idsBySymbol.Count} symbols). Remove it from the text or add it to the alphabet and retrain.",
                    nameof(text));
            }

            ids.Add(id);
            index += rune.Utf16SequenceLength;
        }
    }

    private static string Describe(Rune rune) => $"'{rune}' (U+{rune.Value:X4})";
}
