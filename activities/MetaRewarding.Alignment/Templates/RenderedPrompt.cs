namespace MetaRewarding.Alignment.Templates;

/// <summary>
/// Text sent to the model (a rendered template). Deliberately a different type from
/// <see cref="Parsing.ModelCompletion"/>: the parsers accept only completions, so a prompt — which quotes the
/// response under review, "Score: 5" and all — can never be parsed for a score.
/// </summary>
public readonly record struct RenderedPrompt(string Text)
{
    /// <inheritdoc/>
    public override string ToString() => Text;
}
