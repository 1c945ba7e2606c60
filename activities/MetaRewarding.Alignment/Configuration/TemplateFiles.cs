namespace MetaRewarding.Alignment.Configuration;

/// <summary>
/// Files that replace the built-in prompt templates; null keeps the built-in one. Paths are relative to the
/// configuration file. Placeholders each template must contain are listed in <see cref="Templates.TemplateRole"/>.
/// </summary>
public sealed record TemplateFiles
{
    /// <summary>Actor template; must contain <c>{prompt}</c>.</summary>
    public string? Actor { get; init; }

    /// <summary>Judge template; must contain <c>{prompt}</c> and <c>{response}</c>.</summary>
    public string? Judge { get; init; }

    /// <summary>Meta-judge template; must contain <c>{prompt}</c>, <c>{response}</c>, <c>{judgmentA}</c> and <c>{judgmentB}</c>.</summary>
    public string? MetaJudge { get; init; }
}
