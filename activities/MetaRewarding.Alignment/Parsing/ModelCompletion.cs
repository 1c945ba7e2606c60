namespace MetaRewarding.Alignment.Parsing;

/// <summary>
/// Text the model generated, and only that: never the prompt it was given. The judge and meta-judge parsers
/// take this type, so the judge prompt (which quotes the response under review, possibly containing
/// "Score: 5") cannot be handed to them by mistake. <c>default</c> holds null text, which parses as empty.
/// <see cref="FinishReason"/> is why it ended (<see cref="Datasets.CompletionFinish"/>): a truncated or skipped
/// completion gives no score and no verdict, whatever its text says.
/// </summary>
public readonly record struct ModelCompletion(string? Text, string? FinishReason = null)
{
    /// <inheritdoc/>
    public override string ToString() => Text ?? "";
}
