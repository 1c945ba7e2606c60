using MetaRewarding.Modeling.Training;

namespace MetaRewarding.Modeling.Tests.Training;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "mr-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Save_WritesManifestAndLeavesNoTemporaryFolder()
    {
        var store = new CheckpointStore(root);
        var folder = store.Save(7, f => File.WriteAllText(Path.Combine(f, "a.txt"), "hello"));

        Assert.Equal(Path.Combine(root, "step-00000007"), folder);
        Assert.True(File.Exists(Path.Combine(folder, HashManifest.FileName)));
        Assert.Equal([folder], Directory.GetDirectories(root));
        HashManifest.Verify(folder);
    }

    [Fact]
    public void Save_WriterThrows_LeavesNoFolderBehind()
    {
        var store = new CheckpointStore(root);
        Assert.Throws<IOException>(() => store.Save(1, _ => throw new IOException("disk full")));
        Assert.Empty(Directory.GetDirectories(root));
        Assert.Null(store.FindNewestVerified());
    }

    [Fact]
    public void Verify_AlteredFile_NamesFileAndBothHashes()
    {
        var store = new CheckpointStore(root);
        var folder = store.Save(1, f => File.WriteAllText(Path.Combine(f, "weights.bin"), "original"));
        File.WriteAllText(Path.Combine(folder, "weights.bin"), "tampered");

        var error = Assert.Throws<CheckpointCorruptException>(() => HashManifest.Verify(folder));
        Assert.Contains("weights.bin has SHA-256", error.Message, StringComparison.Ordinal);
        Assert.Contains("records", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_MissingFile_NamesIt()
    {
        var store = new CheckpointStore(root);
        var folder = store.Save(1, f =>
        {
            Directory.CreateDirectory(Path.Combine(f, "model"));
            File.WriteAllText(Path.Combine(f, "model", "w.dat"), "x");
        });
        File.Delete(Path.Combine(folder, "model", "w.dat"));

        var error = Assert.Throws<CheckpointCorruptException>(() => HashManifest.Verify(folder));
        Assert.Contains("is missing model/w.dat", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindNewestVerified_NewestHasNoManifest_ReturnsOlderAndReportsInterruptedWrite()
    {
        var store = new CheckpointStore(root);
        store.Save(1, f => File.WriteAllText(Path.Combine(f, "a"), "1"));
        var newest = store.Save(2, f => File.WriteAllText(Path.Combine(f, "a"), "2"));
        File.Delete(Path.Combine(newest, HashManifest.FileName));

        var reasons = new List<string>();
        var found = store.FindNewestVerified(e => reasons.Add(e.Message));

        Assert.Equal(1, found?.Step);
        Assert.Contains("not completely written", Assert.Single(reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Prune_KeepsNewestCheckpoints()
    {
        var store = new CheckpointStore(root);
        foreach (var step in new[] { 3, 10, 7, 1 })
        {
            store.Save(step, f => File.WriteAllText(Path.Combine(f, "a"), "x"));
        }

        store.Prune(keep: 2);

        Assert.Equal([10, 7], store.Steps());
    }

    [Fact]
    public void SaveFolder_ExistingName_ReplacesItAtomically()
    {
        var store = new CheckpointStore(root);
        store.SaveFolder("reference", f => File.WriteAllText(Path.Combine(f, "r.json"), "old"));
        var folder = store.SaveFolder("reference", f => File.WriteAllText(Path.Combine(f, "r.json"), "new"));

        Assert.Equal("new", File.ReadAllText(Path.Combine(folder, "r.json")));
        Assert.Equal(folder, store.FindVerifiedFolder("reference"));
        Assert.Single(Directory.GetDirectories(root));
    }
}
