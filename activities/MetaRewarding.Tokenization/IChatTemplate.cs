namespace MetaRewarding.Tokenization;

/// <summary>Renders conversations to the token ids a chat model was trained on.</summary>
public interface IChatTemplate
{
    string Name { get; }

    ITextTokenizer Tokenizer { get; }

    /// <summary>
    /// The ids of <paramref name="conversation"/>; with <paramref name="addGenerationPrompt"/>
    /// they end where the model should start writing the next assistant turn.
    /// </summary>
    int[] Render(IReadOnlyList<ChatMessage> conversation, bool addGenerationPrompt);

    /// <summary>
    /// The ids of an assistant reply as it follows a generation prompt, including the token that
    /// ends the turn: the training target of SFT / DPO. Render(prompt, true) + RenderAssistantReply(r)
    /// equals Render(prompt + [assistant r], false).
    /// </summary>
    int[] RenderAssistantReply(string content);

    /// <summary>Ids that end an assistant turn: generation stops at the first of them.</summary>
    IReadOnlyList<int> StopTokenIds { get; }
}
