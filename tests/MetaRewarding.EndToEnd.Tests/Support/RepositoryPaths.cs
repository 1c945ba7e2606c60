namespace MetaRewarding.EndToEnd.Tests.Support;

/// <summary>Where the built worker is: the Worker project's own output, which holds metarewarding.dll and the patched libtorch.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string WorkerDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            var path = Path.Combine(Root, "workers", "MetaRewarding.Worker", "bin", configuration, "net10.0", "linux-x64", "metarewarding.dll");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"the worker is not built at {path}; run `dotnet build workers/MetaRewarding.Worker -c {configuration}` (building this test project builds it too)", path);
        }
    }

    /// <summary>The tests' committed replay histories.</summary>
    public static string HistoryFolder => Path.Combine(Root, "tests", "MetaRewarding.Workflows.Tests", "Histories");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MetaRewarding.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no MetaRewarding.sln above {AppContext.BaseDirectory}; run the tests from the repository's build output");
    }
}
