namespace MetaRewarding.Alignment.Templates;

/// <summary>The values a template is rendered with; a role uses only the ones it requires.</summary>
public readonly record struct TemplateValues(string Prompt, string? Response = null, string? JudgmentA = null, string? JudgmentB = null)
{
    /// <summary>The value of <paramref name="placeholder"/>; throws when the caller did not supply it.</summary>
    public string Get(Placeholder placeholder)
    {
        var value = placeholder switch
        {
            Placeholder.Prompt => Prompt,
            Placeholder.Response => Response,
            Placeholder.JudgmentA => JudgmentA,
            Placeholder.JudgmentB => JudgmentB,
            _ => null,
        };
        return value ?? throw new InvalidOperationException(
            $"The template uses {TemplateRoles.Spelling(placeholder)} but no value was given for it.");
    }
}
