namespace MetaRewarding.Sandbox.Tasks;

/// <summary>The answer a response gives, and whether the response is exactly <c>A: &lt;answer&gt;</c>.</summary>
/// <param name="Answer">The answer the content criteria are checked on (may be empty).</param>
/// <param name="WellFormed">True for exactly <c>A: </c> then a non-empty answer over the task's symbols, nothing else.</param>
public readonly record struct AnswerExtraction(string Answer, bool WellFormed)
{
    /// <summary>The response prefix of a well-formed answer.</summary>
    public const string Prefix = "A: ";

    /// <summary>
    /// Reads <paramref name="response"/>: after <c>A: </c> the answer is the first white-space-delimited token;
    /// without the prefix it is the response's first token (so "cabed" still earns the content marks, just not the
    /// format mark). Any extra text — a suffix, a trailing newline, a second line — costs the format mark only.
    /// </summary>
    public static AnswerExtraction Extract(string response, string answerSymbols)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(answerSymbols);
        if (response.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var rest = response[Prefix.Length..];
            var answer = FirstToken(rest);
            var wellFormed = answer.Length > 0
                && answer.Length == rest.Length
                && answer.All(c => answerSymbols.Contains(c, StringComparison.Ordinal));
            return new AnswerExtraction(answer, wellFormed);
        }

        return new AnswerExtraction(FirstToken(response), false);
    }

    private static string FirstToken(string text)
    {
        var start = 0;
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        var end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        return text[start..end];
    }
}
