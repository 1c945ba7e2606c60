namespace MetaRewarding.Alignment.Templates;

/// <summary>Which placeholders each role's template must contain (and may use: a role has no other values).</summary>
public static class TemplateRoles
{
    private static readonly Placeholder[] ActorPlaceholders = [Placeholder.Prompt];
    private static readonly Placeholder[] JudgePlaceholders = [Placeholder.Prompt, Placeholder.Response];
    private static readonly Placeholder[] MetaJudgePlaceholders =
        [Placeholder.Prompt, Placeholder.Response, Placeholder.JudgmentA, Placeholder.JudgmentB];

    /// <summary>The placeholders <paramref name="role"/>'s template must contain.</summary>
    public static IReadOnlyList<Placeholder> RequiredPlaceholders(TemplateRole role) => role switch
    {
        TemplateRole.Actor => ActorPlaceholders,
        TemplateRole.Judge => JudgePlaceholders,
        TemplateRole.MetaJudge => MetaJudgePlaceholders,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown template role."),
    };

    /// <summary>The spelling of a placeholder in a template, e.g. <c>{judgmentA}</c>.</summary>
    public static string Spelling(Placeholder placeholder) => placeholder switch
    {
        Placeholder.Prompt => "{prompt}",
        Placeholder.Response => "{response}",
        Placeholder.JudgmentA => "{judgmentA}",
        Placeholder.JudgmentB => "{judgmentB}",
        _ => throw new ArgumentOutOfRangeException(nameof(placeholder), placeholder, "Unknown placeholder."),
    };

    /// <summary>The role's name as configuration and messages spell it.</summary>
    public static string Name(TemplateRole role) => role switch
    {
        TemplateRole.Actor => "actor",
        TemplateRole.Judge => "judge",
        TemplateRole.MetaJudge => "metaJudge",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown template role."),
    };
}
