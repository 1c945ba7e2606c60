using System.Text;

namespace MetaRewarding.Alignment.Templates;

/// <summary>
/// A template split once into literal text and placeholders, so rendering is one pass: a value that itself
/// contains "{response}" is inserted verbatim, never expanded again.
/// </summary>
public sealed class PromptTemplate
{
    private readonly (string Literal, Placeholder? Slot)[] _segments;
    private readonly int _literalLength;

    private PromptTemplate(TemplateRole role, string text, (string, Placeholder?)[] segments)
    {
        Role = role;
        Text = text;
        _segments = segments;
        _literalLength = segments.Sum(s => s.Item1.Length);
    }

    /// <summary>The role the template is for.</summary>
    public TemplateRole Role { get; }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>
    /// Parses <paramref name="text"/> as <paramref name="role"/>'s template. Returns the problems instead of
    /// throwing: a required placeholder that is missing, or a placeholder the role has no value for.
    /// Braces around anything that is not one of the four placeholder names stay literal text.
    /// </summary>
    public static PromptTemplate? TryParse(TemplateRole role, string text, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(text);
        var required = TemplateRoles.RequiredPlaceholders(role);
        var segments = new List<(string, Placeholder?)>();
        var found = new HashSet<Placeholder>();
        var errors = new List<string>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var match = text[i] == '{' ? MatchPlaceholder(text, i) : null;
            if (match is { } placeholder)
            {
                if (!required.Contains(placeholder))
                {
                    errors.Add($"placeholder {TemplateRoles.Spelling(placeholder)} is not available in the {TemplateRoles.Name(role)} template (it may use {string.Join(", ", required.Select(TemplateRoles.Spelling))})");
                }

                segments.Add((literal.ToString(), placeholder));
                literal.Clear();
                found.Add(placeholder);
                i += TemplateRoles.Spelling(placeholder).Length;
            }
            else
            {
                literal.Append(text[i]);
                i++;
            }
        }

        segments.Add((literal.ToString(), null));
        foreach (var placeholder in required.Where(p => !found.Contains(p)))
        {
            errors.Add($"required placeholder {TemplateRoles.Spelling(placeholder)} is missing from the {TemplateRoles.Name(role)} template");
        }

        problems = errors;
        return errors.Count == 0 ? new PromptTemplate(role, text, [.. segments]) : null;
    }

    /// <summary>Parses a template known to be valid (the built-in ones); throws with the problems otherwise.</summary>
    public static PromptTemplate Parse(TemplateRole role, string text)
    {
        var template = TryParse(role, text, out var problems);
        return template ?? throw new FormatException(string.Join("; ", problems));
    }

    /// <summary>Renders the template with <paramref name="values"/>, inserting each value verbatim.</summary>
    public RenderedPrompt Render(TemplateValues values)
    {
        var length = _literalLength;
        foreach (var (_, slot) in _segments)
        {
            if (slot is { } s)
            {
                length += values.Get(s).Length;
            }
        }

        var builder = new StringBuilder(length);
        foreach (var (literal, slot) in _segments)
        {
            builder.Append(literal);
            if (slot is { } s)
            {
                builder.Append(values.Get(s));
            }
        }

        return new RenderedPrompt(builder.ToString());
    }

    private static Placeholder? MatchPlaceholder(string text, int start)
    {
        foreach (var placeholder in Enum.GetValues<Placeholder>())
        {
            if (string.CompareOrdinal(text, start, TemplateRoles.Spelling(placeholder), 0, TemplateRoles.Spelling(placeholder).Length) == 0)
            {
                return placeholder;
            }
        }

        return null;
    }
}
