namespace MetaRewarding.Tokenization;

/// <summary>
/// Llama 3's chat format, as its tokenizer_config.json template writes it:
/// <code>
/// &lt;|begin_of_text|&gt;{for each message: &lt;|start_header_id|&gt;{role}&lt;|end_header_id|&gt;\n\n{content | trim}&lt;|eot_id|&gt;}
/// [generation prompt: &lt;|start_header_id|&gt;assistant&lt;|end_header_id|&gt;\n\n]
/// </code>
/// The template produces a string that Hugging Face then tokenizes; this renders ids directly:
/// the control tokens as their special ids, each text segment between them encoded on its own
/// (which is what the tokenizer does when it splits on special tokens). Role and content are
/// encoded as text, so content can never forge a header or turn end.
/// </summary>
/// <remarks>
/// Not reproduced: Llama 3.1's template adds a system header with "Cutting Knowledge Date" and
/// today's date, and tool-calling sections; the project's prompts use no system message.
/// </remarks>
public sealed class Llama3ChatTemplate : IChatTemplate
{
    private readonly int _beginOfText;
    private readonly int _startHeader;
    private readonly int _endHeader;
    private readonly int _endOfTurn;
    private readonly int[] _assistantHeader;

    public Llama3ChatTemplate(ITextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        Tokenizer = tokenizer;
        var specials = tokenizer.SpecialTokens;
        _beginOfText = Required(specials, Llama3Tokenizer.BeginOfText, tokenizer);
        _startHeader = Required(specials, Llama3Tokenizer.StartHeader, tokenizer);
        _endHeader = Required(specials, Llama3Tokenizer.EndHeader, tokenizer);
        _endOfTurn = Required(specials, Llama3Tokenizer.EndOfTurn, tokenizer);

        // The turn ends with <|eot_id|>; a model may also end with end-of-text (or 3.1's <|eom_id|>).
        var stops = new List<int> { _endOfTurn };
        foreach (var optional in new[] { specials.EndOfText, Optional(specials, Llama3Tokenizer.EndOfText), Optional(specials, Llama3Tokenizer.EndOfMessage) })
        {
            if (optional is { } id && !stops.Contains(id))
            {
                stops.Add(id);
            }
        }

        StopTokenIds = stops;
        _assistantHeader = [.. Header(ChatMessage.AssistantRole), .. tokenizer.Encode("\n\n")];
    }

    public string Name => "llama3";

    public ITextTokenizer Tokenizer { get; }

    public IReadOnlyList<int> StopTokenIds { get; }

    public int[] Render(IReadOnlyList<ChatMessage> conversation, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (conversation.Count == 0)
        {
            throw new ArgumentException("A conversation needs at least one message.", nameof(conversation));
        }

        var ids = new List<int> { _beginOfText };
        foreach (var message in conversation)
        {
            ArgumentNullException.ThrowIfNull(message);
            if (string.IsNullOrEmpty(message.Role))
            {
                throw new ArgumentException("Every message needs a role (system, user, assistant).", nameof(conversation));
            }

            ids.AddRange(Header(message.Role));
            ids.AddRange(Tokenizer.Encode("\n\n" + PythonStrip(message.Content ?? string.Empty)));
            ids.Add(_endOfTurn);
        }

        if (addGenerationPrompt)
        {
            ids.AddRange(_assistantHeader);
        }

        return [.. ids];
    }

    /// <summary>
    /// The generation prompt already holds "\n\n"; the pre-tokenizer always makes a run of
    /// newlines before non-space text its own piece, so encoding the stripped reply alone gives
    /// the same ids as encoding "\n\n" + reply.
    /// </summary>
    public int[] RenderAssistantReply(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return [.. Tokenizer.Encode(PythonStrip(content)), _endOfTurn];
    }

    private int[] Header(string role) => [_startHeader, .. Tokenizer.Encode(role), _endHeader];

    /// <summary>Jinja's <c>trim</c> is Python's <c>str.strip()</c>: it also strips U+001C–U+001F, which .NET's Trim keeps.</summary>
    internal static string PythonStrip(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsPythonSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsPythonSpace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];

        static bool IsPythonSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';
    }

    private static int Required(SpecialTokenSet specials, string text, ITextTokenizer tokenizer) =>
        specials.TryGetId(text, out var id)
            ? id
            : throw new InvalidOperationException($"The Llama 3 chat template needs the special token {text}, which {tokenizer.Name} does not have.");

    private static int? Optional(SpecialTokenSet specials, string text) => specials.TryGetId(text, out var id) ? id : null;
}
