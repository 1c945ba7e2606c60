using System.Security.Cryptography;
using System.Text;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Modeling.Training;

namespace MetaRewarding.Activities.Tests.Artifacts;

public sealed class ArtifactStoreTests : IDisposable
{
    private readonly TemporaryStore _temp = new();

    private ArtifactStore Store => _temp.Store;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task WriteFileAsync_NewFile_ReturnsHashSizeAndWritesSidecar()
    {
        var artifact = await Store.WriteTextAsync("runs/a/x.txt", "hello\n", CancellationToken.None);

        var expected = Convert.ToHexStringLower(SHA256.HashData("hello\n"u8));
        Assert.Equal(new ArtifactRef("runs/a/x.txt", expected, 6), artifact);
        Assert.Equal($"{expected}  x.txt\n", File.ReadAllText(Store.FullPath("runs/a/x.txt") + ".sha256"));
        Assert.Equal(artifact, Store.TryGetFile("runs/a/x.txt"));
        Assert.Equal(Store.FullPath("runs/a/x.txt"), Store.Resolve(artifact));
    }

    [Fact]
    public async Task WriteFileAsync_WriterThrows_LeavesPreviousCompleteFileAndNoTempFiles()
    {
        var first = await Store.WriteTextAsync("runs/a/x.txt", "old", CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.WriteFileAsync(
            "runs/a/x.txt",
            async (stream, ct) =>
            {
                await stream.WriteAsync("half of the new cont"u8.ToArray(), ct);
                throw new InvalidOperationException("crash mid-write");
            },
            CancellationToken.None));

        Assert.Equal(first, Store.TryGetFile("runs/a/x.txt"));
        Assert.Equal("old", File.ReadAllText(Store.Resolve(first)));
        Assert.Equal(["x.txt", "x.txt.sha256"], Directory.GetFiles(Store.FullPath("runs/a")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WriteFileAsync_WriterThrowsOnFirstWrite_LeavesNoArtifact()
    {
        await Assert.ThrowsAsync<IOException>(() => Store.WriteFileAsync(
            "runs/a/y.jsonl", (_, _) => throw new IOException("disk gone"), CancellationToken.None));

        Assert.Null(Store.TryGetFile("runs/a/y.jsonl"));
        Assert.Empty(Directory.GetFiles(Store.FullPath("runs/a")));
    }

    [Fact]
    public async Task TryGetFile_DataChangedAfterWrite_ReturnsNullAndResolveNamesBothHashes()
    {
        var artifact = await Store.WriteTextAsync("runs/a/x.txt", "original", CancellationToken.None);
        File.WriteAllText(Store.FullPath("runs/a/x.txt"), "tampered");

        Assert.Null(Store.TryGetFile("runs/a/x.txt"));
        var error = Assert.Throws<ArtifactMissingException>(() => Store.Resolve(artifact));
        Assert.Contains("runs/a/x.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains(artifact.Sha256, error.Message, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData("tampered"u8)), error.Message, StringComparison.Ordinal);
        Assert.Contains("reset the workflow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryGetFile_EveryStateACrashCanLeaveBetweenTheRenames_IsNotCompleteWithNewData()
    {
        // A write is: data to a temp file, rename; sidecar to a temp file, rename. Rebuild each state a crash
        // between those steps leaves and check the path never reads as complete with the new content.
        var old = await Store.WriteTextAsync("runs/a/x.txt", "old", CancellationToken.None);
        var full = Store.FullPath("runs/a/x.txt");
        var newHash = Convert.ToHexStringLower(SHA256.HashData("new"u8));

        // 1. Crash before the data rename: only a hidden temp file is new; the old artifact stands.
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(full)!, ".x.txt.tmp-1"), "new");
        Assert.Equal(old, Store.TryGetFile("runs/a/x.txt"));

        // 2. Crash after the data rename, before the sidecar's: new data, old sidecar.
        File.WriteAllText(full, "new");
        Assert.Null(Store.TryGetFile("runs/a/x.txt"));

        // 3. The same for a first write: new data, no sidecar yet (its temp file not renamed).
        File.Delete(full + ".sha256");
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(full)!, ".x.txt.sha256.tmp-2"), ArtifactSidecarLine(newHash));
        Assert.Null(Store.TryGetFile("runs/a/x.txt"));

        // 4. After the sidecar rename the write is complete.
        File.WriteAllText(full + ".sha256", ArtifactSidecarLine(newHash));
        Assert.Equal(newHash, Store.TryGetFile("runs/a/x.txt")?.Sha256);
    }

    private static string ArtifactSidecarLine(string hash) => $"{hash}  x.txt\n";

    [Fact]
    public void TryGetFolder_StatesACrashCanLeave_AreNotComplete()
    {
        var model = Store.FullPath("runs/a/model");

        // A temp folder that was filled (even with its manifest) but never renamed does not count.
        var temp = Path.Combine(Path.GetDirectoryName(model)!, ".model.tmp-1");
        Directory.CreateDirectory(temp);
        File.WriteAllText(Path.Combine(temp, "w.bin"), "v1");
        HashManifest.Write(temp);
        Assert.Null(Store.TryGetFolder("runs/a/model"));

        // A folder written up to, but not including, its manifest does not count.
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "w.bin"), "v1");
        Assert.Null(Store.TryGetFolder("runs/a/model"));
    }

    [Fact]
    public async Task WriteFileAsync_LeftoversOfACrashedWriter_RemovesStaleOnesAndKeepsFreshOnes()
    {
        var folder = Store.FullPath("runs/a");
        Directory.CreateDirectory(folder);
        var staleFile = Path.Combine(folder, ".x.txt.tmp-stale");
        var freshFile = Path.Combine(folder, ".x.txt.tmp-fresh");
        var otherName = Path.Combine(folder, ".y.txt.tmp-stale");
        foreach (var path in new[] { staleFile, freshFile, otherName })
        {
            File.WriteAllText(path, "partial");
        }

        var longAgo = DateTime.UtcNow - ArtifactStore.StaleTemporaryAge - TimeSpan.FromMinutes(1);
        File.SetLastWriteTimeUtc(staleFile, longAgo);
        File.SetLastWriteTimeUtc(otherName, longAgo);

        await Store.WriteTextAsync("runs/a/x.txt", "data", CancellationToken.None);

        Assert.False(File.Exists(staleFile));
        Assert.True(File.Exists(freshFile)); // may belong to a live writer in another process
        Assert.True(File.Exists(otherName)); // another path's leftovers wait for that path's next write
    }

    [Fact]
    public void WriteFolder_StaleTempFolderOfACrashedWriter_IsRemoved()
    {
        var stale = Path.Combine(Store.FullPath("runs/a"), ".model.tmp-stale");
        Directory.CreateDirectory(stale);
        File.WriteAllText(Path.Combine(stale, "w.bin"), "half a checkpoint");
        var longAgo = DateTime.UtcNow - ArtifactStore.StaleTemporaryAge - TimeSpan.FromMinutes(1);
        File.SetLastWriteTimeUtc(Path.Combine(stale, "w.bin"), longAgo);
        Directory.SetLastWriteTimeUtc(stale, longAgo);

        Store.WriteFolder("runs/a/model", folder => File.WriteAllText(Path.Combine(folder, "w.bin"), "v1"));

        Assert.False(Directory.Exists(stale));
    }

    [Fact]
    public async Task TryGetFile_SidecarMissing_ReturnsNull()
    {
        await Store.WriteTextAsync("runs/a/x.txt", "data", CancellationToken.None);
        File.Delete(Store.FullPath("runs/a/x.txt") + ".sha256");

        Assert.Null(Store.TryGetFile("runs/a/x.txt"));
    }

    [Fact]
    public async Task Resolve_CompleteFileWithOtherContentThanReference_Throws()
    {
        var first = await Store.WriteTextAsync("runs/a/x.txt", "one", CancellationToken.None);
        await Store.WriteTextAsync("runs/a/x.txt", "two", CancellationToken.None);

        var error = Assert.Throws<ArtifactMissingException>(() => Store.Resolve(first));
        Assert.Contains("another SHA-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteFileAsync_SameContentTwice_ReturnsEqualReference()
    {
        var first = await Store.WriteTextAsync("runs/a/x.txt", "same", CancellationToken.None);
        var second = await Store.WriteTextAsync("runs/a/x.txt", "same", CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(first, Store.TryGetFile("runs/a/x.txt"));
    }

    [Fact]
    public async Task WriteFileAsync_ManyConcurrentWritersOfDifferentAndSamePaths_AllEndComplete()
    {
        var writes = Enumerable.Range(0, 40).Select(i => Store.WriteTextAsync(
            $"runs/a/shard-{i % 10:D4}.jsonl", new string('x', 1000 + (i % 10)), CancellationToken.None));
        var refs = await Task.WhenAll(writes);

        for (var shard = 0; shard < 10; shard++)
        {
            var found = Store.TryGetFile($"runs/a/shard-{shard:D4}.jsonl");
            Assert.NotNull(found);
            Assert.Equal(1000 + shard, found.Bytes);
            Assert.Contains(found, refs);
        }

        Assert.DoesNotContain(Directory.GetFiles(Store.FullPath("runs/a")), path => Path.GetFileName(path).StartsWith('.'));
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("runs/../../outside.txt")]
    [InlineData("runs/a/../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("runs//a")]
    [InlineData("runs/./a")]
    [InlineData("")]
    [InlineData("  ")]
    public void FullPath_EscapingOrMalformedPath_ThrowsNamingThePath(string path)
    {
        var error = Assert.Throws<ArgumentException>(() => Store.FullPath(path));
        Assert.Contains(path.Trim().Length == 0 ? "must not be empty" : path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteFileAsync_EscapingPath_WritesNothing()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteTextAsync("../escape.txt", "x", CancellationToken.None));

        Assert.False(File.Exists(Path.Combine(_temp.Folder, "escape.txt")));
    }

    [Fact]
    public void RunPath_Parts_JoinsWithSlashes()
    {
        Assert.Equal("runs/demo-1/iteration-2/responses/shard-0003.jsonl", ArtifactStore.RunPath("demo-1", "iteration-2", "responses", "shard-0003.jsonl"));
        Assert.Equal("runs/demo-1", ArtifactStore.RunPath("demo-1"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("run id")]
    public void RunPath_InvalidRunId_Throws(string runId)
    {
        var error = Assert.Throws<ArgumentException>(() => ArtifactStore.RunPath(runId, "run.json"));
        Assert.Contains("runId must be", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteFolder_NewFolder_WritesManifestAndReferencesIt()
    {
        var artifact = Store.WriteFolder("runs/a/model", folder =>
        {
            File.WriteAllText(Path.Combine(folder, "config.json"), "{}");
            Directory.CreateDirectory(Path.Combine(folder, "sub"));
            File.WriteAllText(Path.Combine(folder, "sub", "w.bin"), "weights");
        });

        var manifest = Path.Combine(Store.FullPath("runs/a/model"), HashManifest.FileName);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(manifest))), artifact.Sha256);
        Assert.Equal(2 + 7 + new FileInfo(manifest).Length, artifact.Bytes);
        Assert.Equal(artifact, Store.TryGetFolder("runs/a/model"));
        Assert.Equal(Store.FullPath("runs/a/model"), Store.Resolve(artifact));
    }

    [Fact]
    public void WriteFolder_WriterThrows_KeepsPreviousFolderAndLeavesNoTemp()
    {
        var first = Store.WriteFolder("runs/a/model", folder => File.WriteAllText(Path.Combine(folder, "w.bin"), "v1"));

        Assert.Throws<InvalidOperationException>(() => Store.WriteFolder("runs/a/model", folder =>
        {
            File.WriteAllText(Path.Combine(folder, "w.bin"), "v2-partial");
            throw new InvalidOperationException("crash mid-write");
        }));

        Assert.Equal(first, Store.TryGetFolder("runs/a/model"));
        Assert.Equal(["model"], Directory.GetFileSystemEntries(Store.FullPath("runs/a")).Select(Path.GetFileName));
    }

    [Fact]
    public void WriteFolder_IncompleteFolderAtPath_ReplacesIt()
    {
        var target = Store.FullPath("runs/a/model");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "stale.bin"), "from an interrupted attempt");
        Assert.Null(Store.TryGetFolder("runs/a/model"));

        var artifact = Store.WriteFolder("runs/a/model", folder => File.WriteAllText(Path.Combine(folder, "w.bin"), "v1"));

        Assert.Equal(artifact, Store.TryGetFolder("runs/a/model"));
        Assert.False(File.Exists(Path.Combine(target, "stale.bin")));
    }

    [Fact]
    public void TryGetFolder_FileInFolderAltered_ReturnsNullAndResolveThrows()
    {
        var artifact = Store.WriteFolder("runs/a/model", folder => File.WriteAllText(Path.Combine(folder, "w.bin"), "v1"));
        File.WriteAllText(Path.Combine(Store.FullPath("runs/a/model"), "w.bin"), "v2");

        Assert.Null(Store.TryGetFolder("runs/a/model"));
        var error = Assert.Throws<ArtifactMissingException>(() => Store.Resolve(artifact));
        Assert.Contains("w.bin", error.Message, StringComparison.Ordinal);
        // The cheap check only looks at the manifest and the files' presence: documented as such.
        Assert.Equal(Store.FullPath("runs/a/model"), Store.Resolve(artifact, ArtifactCheck.ManifestOnly));
        Assert.Equal(artifact, Store.TryGetFolder("runs/a/model", ArtifactCheck.ManifestOnly));
    }

    [Fact]
    public void Resolve_ManifestOnlyWithListedFileDeleted_Throws()
    {
        var artifact = Store.WriteFolder("runs/a/model", folder => File.WriteAllText(Path.Combine(folder, "w.bin"), "v1"));
        File.Delete(Path.Combine(Store.FullPath("runs/a/model"), "w.bin"));

        Assert.Throws<ArtifactMissingException>(() => Store.Resolve(artifact, ArtifactCheck.ManifestOnly));
    }

    [Fact]
    public void RegisterFolder_FolderWrittenElsewhereWithManifest_ReturnsSameRefAsTryGetFolder()
    {
        var folder = Store.FullPath("runs/a/dpo/checkpoints/step-10");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "model.safetensors"), "tensors");
        HashManifest.Write(folder);

        var artifact = Store.RegisterFolder("runs/a/dpo/checkpoints/step-10");

        Assert.Equal(Store.TryGetFolder("runs/a/dpo/checkpoints/step-10"), artifact);
    }

    [Fact]
    public void RegisterFolder_NoManifest_ThrowsNamingTheProblem()
    {
        Directory.CreateDirectory(Store.FullPath("runs/a/half"));

        var error = Assert.Throws<ArtifactMissingException>(() => Store.RegisterFolder("runs/a/half"));
        Assert.Contains("without manifest.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DescribeExternal_FolderWithoutManifest_FingerprintChangesWhenAFileChanges()
    {
        var model = Path.Combine(_temp.Folder, "base-model");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "config.json"), "{}");
        var artifact = ArtifactStore.DescribeExternal(model);

        Assert.Equal(model, Store.Resolve(artifact));
        File.WriteAllText(Path.Combine(model, "config.json"), "{\"changed\": true}");
        Assert.Throws<ArtifactMissingException>(() => Store.Resolve(artifact));
    }

    [Fact]
    public void Resolve_MissingFile_ThrowsNamingPathAndExpectedHash()
    {
        var reference = new ArtifactRef("runs/a/gone.jsonl", new string('a', 64), 3);

        var error = Assert.Throws<ArtifactMissingException>(() => Store.Resolve(reference));
        Assert.Contains("runs/a/gone.jsonl", error.Message, StringComparison.Ordinal);
        Assert.Contains(new string('a', 64), error.Message, StringComparison.Ordinal);
        Assert.Contains("no file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenRead_CompleteFile_ReadsContent()
    {
        var artifact = await Store.WriteTextAsync("runs/a/x.txt", "content ✓", CancellationToken.None);

        using var reader = new StreamReader(Store.OpenRead(artifact), Encoding.UTF8);
        Assert.Equal("content ✓", await reader.ReadToEndAsync());
    }
}
