namespace MetaRewarding.Alignment.Parsing;

/// <summary>
/// The decoration a chat model puts around a label and its value, as regular-expression fragments shared by the
/// judge and meta-judge parsers (docs/ALGORITHM.md, steps 3 and 5b): Markdown emphasis and code (<c>*</c>,
/// <c>_</c>, backticks), quotes (straight and curly), brackets (<c>[</c>, <c>(</c>, <c>&lt;</c>, the last because the
/// built-in templates write <c>Score: &lt;points&gt;</c>) and white space. Llama-3 writes <c>**Score:** 4</c>,
/// <c>Score: **4**</c>, <c>Score: [4]</c> and <c>Winner: [Judgement A]</c>; the paper's own format string invites
/// the brackets. Each run is bounded so that a long run of asterisks cannot make a match expensive. [choice]
/// </summary>
internal static class MarkdownWrapping
{
    /// <summary>Between the label's word and its colon: closing emphasis, as in <c>**Score**:</c>.</summary>
    public const string BeforeColon = @"[\s*_`'""“”‘’]{0,8}";

    /// <summary>Between the colon and the value: white space, opening emphasis, quotes and brackets.</summary>
    public const string Opening = @"[\s*_`'""“”‘’\[(<]{0,12}";

    /// <summary>After the value: closing emphasis, quotes, brackets and white space.</summary>
    public const string Closing = @"[\s*_`'""“”‘’\])>]{0,12}";

    /// <summary>Opening marks only (no white space), as before a wrapped label: <c>**</c> in <c>**Score:** 4</c>.</summary>
    public const string OpeningMarks = @"[*_`'""“”‘’\[(<]{0,8}";

    /// <summary>Closing marks only (no white space), as after a wrapped value: <c>**</c> in <c>Score: **4**</c>.</summary>
    public const string ClosingMarks = @"[*_`'""“”‘’\])>]{0,12}";
}
