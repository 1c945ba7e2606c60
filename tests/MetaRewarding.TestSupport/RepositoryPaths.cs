namespace MetaRewarding.TestSupport;

/// <summary>
/// Files of the repository that tests read: found by walking up from the test binary to the folder holding
/// <c>MetaRewarding.sln</c>, so they work from any build output and on a clean clone.
/// </summary>
public static class RepositoryPaths
{
    /// <summary>The repository's root folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The root README.md, whose tables the docs tests check against the code.</summary>
    public static string Readme => Path.Combine(Root, "README.md");

    /// <summary>The tiny Hugging Face checkpoints and reference numbers written by transformers (<c>tests/fixtures/hf-fixture</c>).</summary>
    public static string HfFixture => Existing(Path.Combine(Root, "tests", "fixtures", "hf-fixture"));

    /// <summary>The workflow tests' committed replay histories.</summary>
    public static string HistoryFolder => Existing(Path.Combine(Root, "tests", "MetaRewarding.Workflows.Tests", "Histories"));

    /// <summary>
    /// The <c>metarewarding</c> executable the Worker project builds, in the configuration the tests were built in
    /// (its output also holds the patched libtorch); tests that start worker processes run it.
    /// </summary>
    public static string WorkerDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            var path = Path.Combine(Root, "workers", "MetaRewarding.Worker", "bin", configuration, "net10.0", "linux-x64", "metarewarding.dll");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"the worker is not built at {path}; run `dotnet build workers/MetaRewarding.Worker -c {configuration}` (building the test project builds it too)", path);
        }
    }

    /// <summary>The full path of a repository-relative path such as <c>docs/ALGORITHM.md</c>.</summary>
    public static string Of(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string Existing(string folder) =>
        Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"{folder} is missing from the repository checkout at {Root}");

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
