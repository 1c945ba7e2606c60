namespace MetaRewarding.TemporalUi.Tests.Support;

/// <summary>Where the built worker, the browser scripts and the screenshots are.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The browser scripts (temporal-ui.mjs) and their pinned node packages.</summary>
    public static string BrowserFolder => Path.Combine(Root, "tests", "MetaRewarding.TemporalUi.Tests", "browser");

    /// <summary>Screenshots of every check, kept as test artifacts (TestResults/ is git-ignored).</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(
        Environment.GetEnvironmentVariable("METAREWARDING_UI_SCREENSHOTS") is { Length: > 0 } configured ? configured : Path.Combine(Root, "TestResults", "temporal-ui")).FullName;

    /// <summary>The `metarewarding` executable the Worker project builds (its output also holds the patched libtorch).</summary>
    public static string WorkerDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            var path = Path.Combine(Root, "workers", "MetaRewarding.Worker", "bin", configuration, "net10.0", "linux-x64", "metarewarding.dll");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"the worker is not built at {path}; run `dotnet build workers/MetaRewarding.Worker -c {configuration}`", path);
        }
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MetaRewarding.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"no MetaRewarding.sln above {AppContext.BaseDirectory}");
    }
}
