namespace MetaRewarding.Modeling.Tests.Native;

/// <summary>The Directory.Build.targets patch: the output copy's GLIBCXX_3.4.32 need is weak; the NuGet cache is untouched.</summary>
public class LibTorchSharpPatchTests
{
    private const string Library = "libLibTorchSharp.so";
    private const string Version = "GLIBCXX_3.4.32";

    [Fact]
    public void OutputCopy_Glibcxx3432Requirement_IsWeak()
    {
        var needs = ElfVersionNeeds.Read(Path.Combine(AppContext.BaseDirectory, Library));

        Assert.True(needs.ContainsKey(Version), $"{Library} no longer needs {Version}; the patch may be obsolete.");
        Assert.Equal(ElfVersionNeeds.WeakFlag, needs[Version] & ElfVersionNeeds.WeakFlag);
        // Only that one requirement is touched: the other libstdc++ versions stay mandatory.
        Assert.All(needs.Where(n => n.Key != Version && n.Key.StartsWith("GLIBCXX_", StringComparison.Ordinal)),
            n => Assert.Equal(0, n.Value & ElfVersionNeeds.WeakFlag));
    }

    [Fact]
    public void NuGetCacheCopy_IsLeftUnpatched()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Directory.Exists(Path.Combine(packages, "torchsharp"))
            ? Directory.GetFiles(Path.Combine(packages, "torchsharp"), Library, SearchOption.AllDirectories)
                .Where(p => p.Contains("linux-x64", StringComparison.Ordinal)).ToArray()
            : [];
        Assert.NotEmpty(cached);

        Assert.All(cached, path => Assert.Equal(0, ElfVersionNeeds.Read(path)[Version] & ElfVersionNeeds.WeakFlag));
    }
}
