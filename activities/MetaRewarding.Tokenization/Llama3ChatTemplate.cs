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
/// Llama 3.1 (and later) templates always open with a system turn holding
/// <see cref="Llama31SystemPreamble"/> followed by the conversation's system message, if any;
/// pass that preamble to render them. The date is the template's fixed default, "26 Jul 2024",
/// not today's date (Llama 3.2+ templates use today's when available): prompts must not change
/// from one day to the next in a durable run. Tool-calling sections are not reproduced.
/// </remarks>
public sealed class Llama3ChatTemplate : IChatTemplate
{
    /// <summary>What Llama 3.1's template writes at the start of its system turn when no tools are given.</summary>
    public const string Llama31SystemPreamble = "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n";

    private readonly string? _systemPreamble;
    private readonly int _beginOfText;
    private readonly int _startHeader;
    private readonly int _endHeader;
    private readonly int _endOfTurn;
    private readonly int[] _assistantHeader;

    /// <param name="tokenizer">A tokenizer with Llama 3's special tokens.</param>
    /// <param name="systemPreamble">
    /// Null for Llama 3's template; <see cref="Llama31SystemPreamble"/> for Llama 3.1's.
    /// </param>
    public Llama3ChatTemplate(ITextTokenizer tokenizer, string? systemPreamble = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        Tokenizer = tokenizer;
        _systemPreamble = systemPreamble;
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

    public string Name => _systemPreamble is null ? "llama3" : "llama3.1";

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
        var messages = conversation.AsEnumerable();
        if (_systemPreamble is not null)
        {
            // Llama 3.1: the first message, when it is a system message, joins the preamble.
            var system = string.Empty;
            if (conversation[0] is { Role: ChatMessage.SystemRole } first)
            {
                system = PythonStrip(first.Content ?? string.Empty);
                messages = messages.Skip(1);
            }

            ids.AddRange(Header(ChatMessage.SystemRole));
            ids.AddRange(Tokenizer.Encode("\n\n" + _systemPreamble + system));
            ids.Add(_endOfTurn);
        }

        foreach (var message in messages)
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
