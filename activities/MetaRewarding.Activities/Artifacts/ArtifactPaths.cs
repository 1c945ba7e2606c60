namespace MetaRewarding.Activities.Artifacts;

/// <summary>
/// The rules for paths inside the store: relative, '/'-separated, no empty, '.' or '..' segments, so that a path
/// from a payload can never point outside the store root.
/// </summary>
public static class ArtifactPaths
{
    /// <summary>Letters, digits, '-', '_' and '.', 1–100 characters, not starting with '.': safe as a folder name everywhere.</summary>
    public static bool IsValidRunId(string? runId) =>
        !string.IsNullOrEmpty(runId)
        && runId.Length <= 100
        && runId[0] != '.'
        && runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Why <paramref name="runId"/> is not a valid run id, or null when it is.</summary>
    public static string? RunIdProblem(string? runId) =>
        IsValidRunId(runId)
            ? null
            : $"runId must be 1-100 letters, digits, '-', '_' or '.' and not start with '.', got '{runId}'; pick a name such as 'llama3-mr-2024-07'";

    /// <summary>Checks a store-relative path and returns it normalised ('/' separators).</summary>
    /// <exception cref="ArgumentException">The path is empty, absolute or escapes the store.</exception>
    public static string Normalize(string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath))
        {
            throw new ArgumentException("An artifact path must not be empty; pass a path relative to the store root such as 'runs/{id}/run.json'.", nameof(relativePath));
        }

        var normalized = relativePath.Replace('\\', '/');
        if (Path.IsPathRooted(normalized) || normalized.StartsWith('/'))
        {
            throw new ArgumentException(
                $"Artifact path '{relativePath}' is absolute; the store only takes paths relative to its root (e.g. 'runs/{{id}}/run.json').",
                nameof(relativePath));
        }

        foreach (var segment in normalized.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or "..")
            {
                throw new ArgumentException(
                    $"Artifact path '{relativePath}' has an empty, '.' or '..' segment; paths must stay inside the store root, without '..' escapes or doubled slashes.",
                    nameof(relativePath));
            }
        }

        return normalized;
    }
}
