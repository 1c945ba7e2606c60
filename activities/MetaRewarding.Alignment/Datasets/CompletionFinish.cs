namespace MetaRewarding.Alignment.Datasets;

/// <summary>
/// Why a model completion on file ended: the <c>finishReason</c> field of responses, judgments and meta-judgments
/// (docs/GENERATION.md, "Truncation and context"). The first three are the engine's finish reasons under the names
/// it writes them with; <see cref="Context"/> marks a request that was not generated at all because its prompt plus
/// max new tokens exceeds the model's context. Files written before the field existed have none (null): such a
/// completion counts as complete, as it was treated when it was written.
/// </summary>
public static class CompletionFinish
{
    /// <summary>The model produced an end-of-sequence (or end-of-turn) token.</summary>
    public const string Eos = "eos";

    /// <summary>A stop string appeared; the text is cut before it.</summary>
    public const string Stop = "stop";

    /// <summary>Max new tokens was reached: the completion is truncated.</summary>
    public const string Length = "length";

    /// <summary>Not generated: the rendered prompt plus max new tokens exceeds the model's context (the text is empty).</summary>
    public const string Context = "context";

    /// <summary>Every accepted value, in the order messages list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Eos, Stop, Length, Context];

    /// <summary>Cut at max new tokens.</summary>
    public static bool IsTruncated(string? finishReason) => finishReason == Length;

    /// <summary>Not generated (prompt over the model's context).</summary>
    public static bool IsSkipped(string? finishReason) => finishReason == Context;

    /// <summary>
    /// The completion ended by itself (eos, stop, or unknown in an older file): only such completions are scored,
    /// paired or battled. Truncated and skipped ones are excluded, as NeMo-Aligner's self-rewarding loop drops
    /// samples that did not end (docs/ALGORITHM.md, step 2).
    /// </summary>
    public static bool IsComplete(string? finishReason) => !IsTruncated(finishReason) && !IsSkipped(finishReason);

    /// <summary>Why a <paramref name="what"/> (judgment, meta-judgment) that did not end by itself gives nothing to parse.</summary>
    public static string Unfinished(string? finishReason, string what) => finishReason switch
    {
        Length => $"the {what} was cut at max new tokens (finish reason 'length')",
        Context => $"the {what} was not generated: its prompt plus max new tokens exceeds the model's context (finish reason 'context')",
        _ => $"the {what} ended normally",
    };

    /// <summary>A problem message when <paramref name="finishReason"/> is not null and not one of <see cref="All"/>.</summary>
    public static string? Problem(string? finishReason) =>
        finishReason is null || All.Contains(finishReason)
            ? null
            : $"field 'finishReason' is '{finishReason}'; it must be one of {string.Join(", ", All)} (or left out)";
}
