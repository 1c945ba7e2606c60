namespace MetaRewarding.Alignment.Pairs;

/// <summary>
/// The JSONL files one iteration's pairs are built from. Responses, judgments and meta-judgments must be grouped
/// by prompt in the order of the prompts file (the order sharded generation writes them in).
/// <see cref="MetaJudgmentsPath"/> is needed only when the iteration trains the judge.
/// </summary>
public sealed record IterationPairInputs(string PromptsPath, string ResponsesPath, string JudgmentsPath, string? MetaJudgmentsPath = null);
