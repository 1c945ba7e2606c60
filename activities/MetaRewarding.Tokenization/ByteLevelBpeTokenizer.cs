using System.Text;
using Microsoft.ML.Tokenizers;

namespace MetaRewarding.Tokenization;

/// <summary>
/// A tiktoken-style byte-level BPE tokenizer (Llama 3, GPT-2, cl100k): Microsoft.ML.Tokenizers'
/// <see cref="TiktokenTokenizer"/> does the BPE over mergeable ranks; this class adds the
/// code-point pre-tokenizer and handles special tokens itself.
/// </summary>
/// <remarks>
/// Special tokens are deliberately not given to <see cref="TiktokenTokenizer"/>: in
/// Microsoft.ML.Tokenizers 2.0.1 it recognises them only through its LRU cache of recent pieces
/// (8192 entries), so after enough distinct text they are evicted and encoded as plain bytes,
/// and it offers no per-call switch between "recognise" and "encode as text". Here they are
/// split out before BPE and written back on decode.
/// </remarks>
public sealed class ByteLevelBpeTokenizer : ITextTokenizer
{
    private readonly TiktokenTokenizer _bpe;
    private readonly IReadOnlyDictionary<int, byte[]> _bytesById;
    private readonly SpecialTokenMatcher _specialMatcher;

    private ByteLevelBpeTokenizer(
        string name,
        TiktokenTokenizer bpe,
        IReadOnlyDictionary<int, byte[]> bytesById,
        PreTokenizerPattern pattern,
        SpecialTokenSet specialTokens)
    {
        Name = name;
        Pattern = pattern;
        _bpe = bpe;
        _bytesById = bytesById;
        SpecialTokens = specialTokens;
        _specialMatcher = new SpecialTokenMatcher(specialTokens.IdsByText.Keys);

        var maxId = bytesById.Keys.Max();
        foreach (var (text, id) in specialTokens.IdsByText)
        {
            if (bytesById.ContainsKey(id))
            {
                throw new InvalidDataException($"Special token '{text}' has id {id}, which is also the id of an ordinary BPE token; special ids must be outside the ranks.");
            }

            maxId = Math.Max(maxId, id);
        }

        VocabularySize = maxId + 1;
    }

    public string Name { get; }

    public int VocabularySize { get; }

    public SpecialTokenSet SpecialTokens { get; }

    /// <summary>How text is split before BPE.</summary>
    public PreTokenizerPattern Pattern { get; }

    /// <summary>Number of ordinary (mergeable) tokens.</summary>
    public int RankCount => _bytesById.Count;

    /// <summary>
    /// Builds a tokenizer from mergeable ranks (rank = id → token bytes) and special tokens
    /// (whose ids must not collide with ranks).
    /// </summary>
    public static ByteLevelBpeTokenizer Create(
        string name,
        IReadOnlyDictionary<int, byte[]> bytesByRank,
        PreTokenizerPattern pattern,
        SpecialTokenSet specialTokens)
    {
        ArgumentNullException.ThrowIfNull(bytesByRank);
        ArgumentNullException.ThrowIfNull(specialTokens);
        RequireEveryByte(bytesByRank, name);
        using var stream = TiktokenRankFile.Write(bytesByRank);
        var bpe = TiktokenTokenizer.Create(stream, new CodePointPreTokenizer(pattern), normalizer: null, specialTokens: null);

        // A private copy: the tokenizer must not change when the caller's dictionary does.
        return new ByteLevelBpeTokenizer(name, bpe, new Dictionary<int, byte[]>(bytesByRank), pattern, specialTokens);
    }

    public int[] Encode(string text, SpecialTokenHandling handling = SpecialTokenHandling.EncodeAsText)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = ReplaceLoneSurrogates(text);
        var ids = new List<int>(text.Length / 3 + 4);
        if (handling == SpecialTokenHandling.Recognize && SpecialTokens.Count > 0)
        {
            var position = 0;
            foreach (var (offset, length, special) in _specialMatcher.FindAll(text))
            {
                EncodeOrdinary(text.AsSpan(position, offset - position), ids);
                ids.Add(SpecialTokens.GetId(special));
                position = offset + length;
            }

            EncodeOrdinary(text.AsSpan(position), ids);
        }
        else
        {
            EncodeOrdinary(text.AsSpan(), ids);
        }

        return [.. ids];
    }

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>(ids.Count * 4);
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            if (_bytesById.TryGetValue(id, out var tokenBytes))
            {
                bytes.AddRange(tokenBytes);
                continue;
            }

            if (!SpecialTokens.TryGetText(id, out var special))
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is not in the vocabulary of {Name} (size {VocabularySize}).");
            }

            if (!skipSpecialTokens)
            {
                // Flush pending bytes first: special tokens are never inside a UTF-8 sequence.
                FlushUtf8(bytes, text);
                text.Append(special);
            }
        }

        FlushUtf8(bytes, text);
        return text.ToString();
    }

    private void EncodeOrdinary(ReadOnlySpan<char> text, List<int> ids)
    {
        if (!text.IsEmpty)
        {
            ids.AddRange(_bpe.EncodeToIds(text));
        }
    }

    /// <summary>
    /// A lone surrogate is not text and has no UTF-8 form; like tiktoken, encode it as U+FFFD
    /// (otherwise it would become the invalid bytes ED A0 80 and decode to three U+FFFD).
    /// </summary>
    private static string ReplaceLoneSurrogates(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }

    private static void FlushUtf8(List<byte> bytes, StringBuilder text)
    {
        if (bytes.Count > 0)
        {
            text.Append(Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes)));
            bytes.Clear();
        }
    }

    private static void RequireEveryByte(IReadOnlyDictionary<int, byte[]> bytesByRank, string name)
    {
        var present = new bool[256];
        foreach (var bytes in bytesByRank.Values)
        {
            if (bytes.Length == 1)
            {
                present[bytes[0]] = true;
            }
        }

        var missing = Array.IndexOf(present, false);
        if (missing >= 0)
        {
            throw new InvalidDataException(
                $"The ranks of {name} have no token for the single byte 0x{missing:X2}; a byte-level BPE needs all 256 so that any text can be encoded.");
        }
    }
}
