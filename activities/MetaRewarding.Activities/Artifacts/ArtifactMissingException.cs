namespace MetaRewarding.Activities.Artifacts;

/// <summary>
/// An artifact an activity needs is absent, incomplete or differs from the hash its reference records. Retrying
/// cannot bring it back: activities turn this into a non-retryable <c>MissingInput</c> failure (see
/// <see cref="ActivityFailures"/>), and a person resets the workflow to the activity that writes it.
/// </summary>
public sealed class ArtifactMissingException : Exception
{
    public ArtifactMissingException(string path, string? expectedSha256, string found)
        : base(FormatMessage(path, expectedSha256, found))
    {
        ArtifactPath = path;
        ExpectedSha256 = expectedSha256;
        Found = found;
    }

    public ArtifactMissingException()
        : this("(unknown)", null, "nothing")
    {
    }

    public ArtifactMissingException(string message)
        : base(message)
    {
        ArtifactPath = "(unknown)";
        Found = message;
    }

    public ArtifactMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
        ArtifactPath = "(unknown)";
        Found = message;
    }

    /// <summary>The artifact's path as its reference names it.</summary>
    public string ArtifactPath { get; }

    /// <summary>The SHA-256 the reference records (null when no hash was expected).</summary>
    public string? ExpectedSha256 { get; }

    /// <summary>What is at the path instead (missing, incomplete, another hash).</summary>
    public string Found { get; }

    private static string FormatMessage(string path, string? expectedSha256, string found) =>
        $"Artifact {path} (expected SHA-256 {expectedSha256 ?? "any"}) is not usable: found {found}. "
        + "It was deleted, changed or never completely written; reset the workflow to the activity that writes it "
        + "(or restore the file) so it is produced again.";
}
