namespace MetaRewarding.Tokenization;

/// <summary>The one rule for turning a prompt text into what a chat model completes, shared by the engine and the <c>openai</c> backend.</summary>
public static class ChatPrompts
{
    /// <summary>The ids of <paramref name="userText"/> as one user turn, ending where the model starts its reply.</summary>
    public static int[] UserPromptIds(this IChatTemplate chat, string userText)
    {
        ArgumentNullException.ThrowIfNull(chat);
        return chat.Render([ChatMessage.User(userText)], addGenerationPrompt: true);
    }
}
