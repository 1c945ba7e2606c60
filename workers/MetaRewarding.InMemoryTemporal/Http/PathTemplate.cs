namespace MetaRewarding.InMemoryTemporal.Http;

/// <summary>
/// One google.api.http path template, e.g. <c>/api/v1/namespaces/{namespace}/workflows/{execution.workflow_id}/history</c>:
/// literal segments and variables naming a (dotted) field of the request message. Temporal's rules use only
/// single-segment variables; templates with other forms (<c>{name=**}</c>, verbs) are refused by <see cref="TryParse"/>.
/// </summary>
internal sealed class PathTemplate
{
    private readonly Segment[] segments;

    private PathTemplate(string text, Segment[] segments)
    {
        Text = text;
        this.segments = segments;
    }

    public string Text { get; }

    /// <summary>Parses a template; false for the forms this gateway does not route.</summary>
    public static bool TryParse(string template, out PathTemplate? parsed)
    {
        parsed = null;
        if (!template.StartsWith('/') || template.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }
        var parts = template[1..].Split('/');
        var segments = new Segment[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.StartsWith('{') && part.EndsWith('}'))
            {
                var field = part[1..^1];
                if (field.Length == 0 || field.Contains('=', StringComparison.Ordinal) || field.Contains('*', StringComparison.Ordinal))
                {
                    return false;
                }
                segments[i] = new Segment(null, field);
            }
            else if (part.Length == 0 || part.Contains('{', StringComparison.Ordinal) || part.Contains('*', StringComparison.Ordinal))
            {
                return false;
            }
            else
            {
                segments[i] = new Segment(part, null);
            }
        }
        parsed = new PathTemplate(template, segments);
        return true;
    }

    /// <summary>Matches decoded path segments; on success, each variable's field path and value.</summary>
    public bool TryMatch(IReadOnlyList<string> path, out List<KeyValuePair<string, string>> variables)
    {
        variables = [];
        if (path.Count != segments.Length)
        {
            return false;
        }
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i].Literal is { } literal)
            {
                if (!string.Equals(literal, path[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }
            else
            {
                variables.Add(new(segments[i].Field!, path[i]));
            }
        }
        return true;
    }

    /// <summary>
    /// Which of two templates that both match a path is meant: the one with a literal where the other has a
    /// variable, first from the left (so <c>.../workflows/execute-multi-operation</c> beats <c>.../workflows/{workflow_id}</c>).
    /// Negative when this one is more specific.
    /// </summary>
    public int CompareSpecificity(PathTemplate other)
    {
        for (var i = 0; i < Math.Min(segments.Length, other.segments.Length); i++)
        {
            var mine = segments[i].Literal is null;
            var theirs = other.segments[i].Literal is null;
            if (mine != theirs)
            {
                return mine ? 1 : -1;
            }
        }
        return 0;
    }

    public override string ToString() => Text;

    private readonly record struct Segment(string? Literal, string? Field);
}
