using MetaRewarding.TestSupport;

namespace MetaRewarding.TemporalUi.Tests.Support;

/// <summary>The browser tests' own folders, under the repository root that <see cref="RepositoryPaths"/> finds.</summary>
public static class UiPaths
{
    /// <summary>The browser scripts (temporal-ui.mjs) and their pinned node packages.</summary>
    public static string BrowserFolder => Path.Combine(RepositoryPaths.Root, "tests", "MetaRewarding.TemporalUi.Tests", "browser");

    /// <summary>Screenshots of every check, kept as test artifacts (TestResults/ is git-ignored).</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(
        Environment.GetEnvironmentVariable("METAREWARDING_UI_SCREENSHOTS") is { Length: > 0 } configured ? configured : Path.Combine(RepositoryPaths.Root, "TestResults", "temporal-ui")).FullName;
}
