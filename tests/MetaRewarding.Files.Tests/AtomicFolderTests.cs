using MetaRewarding.TestSupport;

namespace MetaRewarding.Files.Tests;

public class AtomicFolderTests
{
    [Fact]
    public void Commit_NothingThere_RenamesTheFolderIntoPlace()
    {
        using var folder = new TemporaryFolder("atomic-folder-");
        folder.Write(".new/a.txt", "a");

        AtomicFolder.Commit(folder.Combine(".new"), folder.Combine("model"), folder.Combine(".aside"));

        Assert.Equal("a\n", File.ReadAllText(folder.Combine("model", "a.txt")));
        Assert.Equal(["model"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Commit_OldFolderThere_IsReplacedWholeWithNoOldFileLeft()
    {
        using var folder = new TemporaryFolder("atomic-folder-");
        folder.Write("model/old-only.txt", "old");
        folder.Write("model/a.txt", "old");
        folder.Write(".new/a.txt", "new");

        AtomicFolder.Commit(folder.Combine(".new"), folder.Combine("model"), folder.Combine(".aside"));

        Assert.Equal(["a.txt"], Directory.GetFiles(folder.Combine("model")).Select(Path.GetFileName));
        Assert.Equal("new\n", File.ReadAllText(folder.Combine("model", "a.txt")));
        Assert.Equal(["model"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Commit_AFileWhereTheFolderGoes_IsReplaced()
    {
        using var folder = new TemporaryFolder("atomic-folder-");
        folder.Write("model", "a stray file");
        folder.Write(".new/a.txt", "new");

        AtomicFolder.Commit(folder.Combine(".new"), folder.Combine("model"), folder.Combine(".aside"));

        Assert.True(Directory.Exists(folder.Combine("model")));
        Assert.False(File.Exists(folder.Combine(".aside")));
    }
}
