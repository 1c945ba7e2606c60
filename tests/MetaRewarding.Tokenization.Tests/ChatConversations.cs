namespace MetaRewarding.Tokenization.Tests;

/// <summary>
/// Deterministic conversations for template tests: 1–4 turns alternating user / assistant, some
/// opening with a system message, contents from <see cref="TestStrings"/> (without special-token
/// spellings, which our templates deliberately encode as text) padded with ASCII whitespace that
/// the template's trim must remove.
/// </summary>
public static class ChatConversations
{
    public static List<IReadOnlyList<ChatMessage>> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var contents = TestStrings.Generate(count * 4, seed: seed + 1000, includeSpecialLooking: false);
        string[] edges = [string.Empty, string.Empty, " ", "\n", "  \n\t", "\r\n"];
        var conversations = new List<IReadOnlyList<ChatMessage>>(count);
        for (var c = 0; c < count; c++)
        {
            var turns = random.Next(1, 5);
            var messages = new List<ChatMessage>(turns);
            for (var t = 0; t < turns; t++)
            {
                var role = t == 0 && random.Next(4) == 0 ? ChatMessage.SystemRole : t % 2 == 0 ? ChatMessage.UserRole : ChatMessage.AssistantRole;
                messages.Add(new ChatMessage(role, edges[random.Next(edges.Length)] + contents[c * 4 + t] + edges[random.Next(edges.Length)]));
            }

            conversations.Add(messages);
        }

        return conversations;
    }
}
