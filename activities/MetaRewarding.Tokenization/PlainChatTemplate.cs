namespace MetaRewarding.Tokenization;

/// <summary>
/// The template for models trained without a chat format (the demo's character models, GPT-2):
/// <code>[BOS] {content of each message} ... with EOS after every assistant message</code>
/// No role markers and no separators: prompts carry their own delimiters (the demo's actor prompt
/// "R abcde\n" ends in a newline, its judge prompt in "|"). System and user messages render
/// alike. The generation prompt is empty: the model continues right after the last message.
/// BOS is omitted when the tokenizer has none (cl100k).
/// </summary>
public sealed class PlainChatTemplate : IChatTemplate
{
    private readonly int? _beginOfText;
    private readonly int _endOfText;

    public PlainChatTemplate(ITextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        Tokenizer = tokenizer;
        _beginOfText = tokenizer.SpecialTokens.BeginOfText;
        _endOfText = tokenizer.SpecialTokens.EndOfText
            ?? throw new InvalidOperationException($"The plain chat template ends assistant turns with EOS, which {tokenizer.Name} does not define.");
        StopTokenIds = [_endOfText];
    }

    public string Name => "plain";

    public ITextTokenizer Tokenizer { get; }

    public IReadOnlyList<int> StopTokenIds { get; }

    public int[] Render(IReadOnlyList<ChatMessage> conversation, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (conversation.Count == 0)
        {
            throw new ArgumentException("A conversation needs at least one message.", nameof(conversation));
        }

        var ids = new List<int>();
        if (_beginOfText is { } bos)
        {
            ids.Add(bos);
        }

        foreach (var message in conversation)
        {
            ArgumentNullException.ThrowIfNull(message);
            ids.AddRange(Tokenizer.Encode(message.Content ?? string.Empty));
            if (message.Role == ChatMessage.AssistantRole)
            {
                ids.Add(_endOfText);
            }
        }

        return [.. ids];
    }

    public int[] RenderAssistantReply(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return [.. Tokenizer.Encode(content), _endOfText];
    }
}
