namespace MetaRewarding.Tokenization;

/// <summary>
/// Text to token ids and back, the one view of a tokenizer the rest of the system uses
/// (sampling, training, prompt rendering). Implementations are immutable and thread-safe.
/// </summary>
public interface ITextTokenizer
{
    /// <summary>Short human-readable description, e.g. "llama3 (tokenizer.json)".</summary>
    string Name { get; }

    /// <summary>Rows the embedding matrix needs: the largest id this tokenizer can produce, plus one.</summary>
    int VocabularySize { get; }

    /// <summary>The special (control) tokens by name, and the roles BOS/EOS/EOT/PAD.</summary>
    SpecialTokenSet SpecialTokens { get; }

    /// <summary>
    /// Encodes <paramref name="text"/>. By default text that merely looks like a special token
    /// (e.g. a user typing "&lt;|eot_id|&gt;") is encoded as ordinary text, so content can never
    /// forge a control token; pass <see cref="SpecialTokenHandling.Recognize"/> to map such text
    /// to the special ids, as Hugging Face's <c>encode</c> does.
    /// </summary>
    int[] Encode(string text, SpecialTokenHandling handling = SpecialTokenHandling.EncodeAsText);

    /// <summary>
    /// Decodes ids to text. Special tokens are written as their text unless
    /// <paramref name="skipSpecialTokens"/>. Byte sequences that are not valid UTF-8 (a sequence
    /// cut inside a character) become U+FFFD, as in Hugging Face's decode.
    /// </summary>
    string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false);
}

/// <summary>What <see cref="ITextTokenizer.Encode"/> does with text spelling a special token.</summary>
public enum SpecialTokenHandling
{
    /// <summary>Encode it like any other text (safe default for untrusted content).</summary>
    EncodeAsText,

    /// <summary>Map each occurrence to its special id (Hugging Face / tiktoken "allowed_special=all").</summary>
    Recognize,
}
