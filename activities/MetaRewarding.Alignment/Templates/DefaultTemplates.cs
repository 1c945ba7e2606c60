namespace MetaRewarding.Alignment.Templates;

/// <summary>
/// The built-in templates, in this project's own words, with the rubric structure docs/ALGORITHM.md describes.
/// The chat template (special tokens, roles) is applied later by the model layer; these are the user turns.
/// </summary>
public static class DefaultTemplates
{
    /// <summary>Actor: the instruction itself is the user turn; there is no system prompt.</summary>
    public const string Actor = "{prompt}";

    /// <summary>
    /// The additive 5-point rubric's criteria, word for word the same in the judge and the meta-judge template: a
    /// meta-judge asked whether a judgment applied the rubric must be shown the rubric the judge was given.
    /// </summary>
    public const string RubricCriteria =
        """
        - Add 1 point if the response is relevant to the user's question and offers some related information, even if it is incomplete or partly off topic.
        - Add a 2nd point if the response deals with a substantial part of the user's question, even if it does not resolve it fully or give a direct answer.
        - Add a 3rd point if the response answers the basic elements of the question in a useful way, even if it reads like a search result or leaves gaps.
        - Add a 4th point if the response is clearly written from an AI assistant's perspective, addresses the question directly and completely, and is well organised and helpful, even if its clarity, conciseness or focus could improve slightly.
        - Add a 5th point if the response is impeccably tailored to the question, shows expert knowledge, contains nothing extraneous, and gives high-quality, engaging and insightful help.
        """;

    /// <summary>Judge: additive 5-point rubric, the question as <c>User:</c>, the answer in <c>&lt;response&gt;</c>, final line <c>Score: &lt;points&gt;</c>.</summary>
    public const string Judge =
        $$"""
        Please review the user's question and the response that follows it, and grade the response with the
        additive 5-point rubric below. Start at 0 points and add one point for each criterion the response meets:

        {{RubricCriteria}}

        User: {prompt}

        <response>{response}</response>

        After examining the question and the response, explain your total score in at most 100 words. Then end with one final line in exactly this form:
        Score: <points>
        """;

    /// <summary>
    /// Meta-judge: the judge's rubric (<see cref="RubricCriteria"/>), the task and the verdict format first, then the
    /// question and the response, then <c>Judgment A</c> and <c>Judgment B</c> LAST. Every battle of one response
    /// shares the text up to <c>{judgmentA}</c>, so the generation engine can compute that prefix once per
    /// response (docs/GENERATION.md).
    /// </summary>
    public const string MetaJudge =
        $$"""
        Below are a user's question, a response to it, and two judgments of that response. Each judgment was asked to grade the response with this additive 5-point rubric, starting at 0 points and adding one point for each criterion the response meets:

        {{RubricCriteria}}

        Decide which judgment applies the rubric more accurately and more consistently: check that each awarded point is justified by the response, that no deserved point is missing, and that the final score matches the reasoning. Explain your decision briefly, then end with one final line in exactly one of these forms:
        Winner: Judgment A
        Winner: Judgment B

        User: {prompt}

        <response>{response}</response>

        Judgment A:
        {judgmentA}

        Judgment B:
        {judgmentB}
        """;
}
