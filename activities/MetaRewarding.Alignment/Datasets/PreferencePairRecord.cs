namespace MetaRewarding.Alignment.Datasets;

/// <summary>
/// A line of <c>pairs.jsonl</c>, the DPO dataset: <c>prompt</c>, <c>chosen</c>, <c>rejected</c> as TRL names them,
/// plus where they came from.
/// </summary>
public sealed record PreferencePairRecord : IJsonlRecord
{
    /// <summary>actor or judge.</summary>
    public required PairKind Kind { get; init; }

    /// <summary>The prompt the completions answer: the user prompt (actor) or the rendered judge prompt (judge).</summary>
    public required string Prompt { get; init; }

    /// <summary>The preferred completion.</summary>
    public required string Chosen { get; init; }

    /// <summary>The dispreferred completion.</summary>
    public required string Rejected { get; init; }

    /// <summary>The user prompt's id.</summary>
    public required string PromptId { get; init; }

    /// <summary>For judge pairs, the judged response's id; null for actor pairs.</summary>
    public string? ResponseId { get; init; }

    /// <summary>Id of the chosen response (actor) or judgment (judge).</summary>
    public required string ChosenId { get; init; }

    /// <summary>Id of the rejected response (actor) or judgment (judge).</summary>
    public required string RejectedId { get; init; }

    /// <summary>Actor: mean judge score of the chosen response; judge: Elo rating of the chosen judgment.</summary>
    public double ChosenScore { get; init; }

    /// <summary>Actor: mean judge score of the rejected response; judge: Elo rating of the rejected judgment.</summary>
    public double RejectedScore { get; init; }

    public string? Problem() => RecordChecks.NonEmpty(("promptId", PromptId), ("chosenId", ChosenId), ("rejectedId", RejectedId));
}
