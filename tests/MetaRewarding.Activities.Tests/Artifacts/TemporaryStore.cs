using MetaRewarding.Activities.Artifacts;

namespace MetaRewarding.Activities.Tests.Artifacts;

/// <summary>An artifact store in a fresh temp folder, deleted after the test.</summary>
public sealed class TemporaryStore : IDisposable
{
    public TemporaryStore()
    {
        Folder = Path.Combine(Path.GetTempPath(), "mr-activities-tests", Guid.NewGuid().ToString("N"));
        Store = new ArtifactStore(Path.Combine(Folder, "store"));
    }

    /// <summary>The temp folder; the store is its <c>store</c> subfolder, so tests can put "external" files beside it.</summary>
    public string Folder { get; }

    public ArtifactStore Store { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS temp folder is cleaned eventually.
        }
    }
}
