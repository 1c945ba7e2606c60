namespace MetaRewarding.Alignment.Tests.Datasets;

/// <summary>A temporary folder deleted after the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("alignment-tests-").FullName;

    public string Path { get; }

    public string Write(string name, params string[] lines)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, string.Join("\n", lines) + "\n");
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
