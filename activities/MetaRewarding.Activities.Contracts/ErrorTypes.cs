namespace MetaRewarding.Activities.Contracts;

/// <summary>
/// Application error types that activities raise and workflows list as non-retryable: retrying cannot fix them,
/// a person must (then reset the workflow to that activity).
/// </summary>
public static class ErrorTypes
{
    /// <summary>The run configuration, a template or a path in it is invalid.</summary>
    public const string InvalidConfiguration = "InvalidConfiguration";

    /// <summary>An input artifact is missing or does not match its recorded hash.</summary>
    public const string MissingInput = "MissingInput";

    /// <summary>Every pair's loss is not finite: more steps would not help.</summary>
    public const string DivergedTraining = "DivergedTraining";

    /// <summary>All of them, for retry policies.</summary>
    public static IReadOnlyList<string> NonRetryable { get; } = [InvalidConfiguration, MissingInput, DivergedTraining];
}
