using MetaRewarding.TestSupport;

namespace MetaRewarding.Files.Tests;

public class AtomicFileTests
{
    [Fact]
    public void WriteAllText_ExistingFile_IsReplacedAndNoTemporaryIsLeft()
    {
        using var folder = new TemporaryFolder("atomic-file-");
        var path = folder.Write("sub/x.json", "old");

        AtomicFile.WriteAllText(path, "new\n");

        Assert.Equal("new\n", File.ReadAllText(path));
        Assert.Equal(["x.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_WriterThrows_TargetKeepsItsOldContentAndTheTemporaryIsDeleted()
    {
        using var folder = new TemporaryFolder("atomic-file-");
        var path = folder.Write("x.bin", "old");

        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half"u8);
            throw new InvalidOperationException("the writer failed half-way");
        }));

        Assert.Equal("the writer failed half-way", error.Message);
        Assert.Equal("old\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public async Task WriteAsync_NewFolder_IsCreated()
    {
        using var folder = new TemporaryFolder("atomic-file-");
        var path = folder.Combine("a", "b", "c.txt");

        await AtomicFile.WriteAsync(path, (stream, ct) => stream.WriteAsync("abc"u8.ToArray(), ct).AsTask(), CancellationToken.None);

        Assert.Equal("abc", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public void TemporaryPathFor_IsHiddenBesideTheTargetUniqueAndStartsWithThePrefix()
    {
        var first = AtomicFile.TemporaryPathFor("/data/runs/x.json");
        var second = AtomicFile.TemporaryPathFor("/data/runs/x.json");

        Assert.NotEqual(first, second);
        Assert.Equal("/data/runs", Path.GetDirectoryName(first));
        Assert.StartsWith(AtomicFile.TemporaryPrefixFor("/data/runs/x.json"), Path.GetFileName(first), StringComparison.Ordinal);
        Assert.Equal(".x.json.tmp-", AtomicFile.TemporaryPrefixFor("x.json"));
    }
}
