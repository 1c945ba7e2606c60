namespace MetaRewarding.TestSupport;

/// <summary>
/// A fresh empty folder under the system temp folder, deleted with everything in it on dispose. Deletion is best
/// effort: a file a test left open (or a process it killed) must not turn a passing test into a failing one, and
/// the OS cleans its temp folder eventually.
/// </summary>
public sealed class TemporaryFolder : IDisposable
{
    /// <param name="prefix">Start of the folder's name, so a leftover folder says which tests made it.</param>
    public TemporaryFolder(string prefix = "mr-tests-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The full path of <paramref name="relative"/> inside the folder (nothing is created).</summary>
    public string Combine(params string[] relative) => System.IO.Path.Combine([Path, .. relative]);

    /// <summary>Writes <paramref name="lines"/>, each ending in '\n', to <paramref name="name"/> and returns its full path.</summary>
    public string Write(string name, params string[] lines)
    {
        var file = Combine(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, string.Concat(lines.Select(line => line + "\n")));
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort (see the class comment).
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort (see the class comment).
        }
    }
}
