using MetaRewarding.TestSupport;

namespace MetaRewarding.Worker.Tests.Deploy;

/// <summary>
/// The shell scripts of deploy/ (schema and namespace setup inside admin-tools, the image publish and build
/// scripts) never run here, so shellcheck (Debian's, installed by .ci/run) reads them: POSIX sh where they say
/// #!/bin/sh, quoting, unset variables.
/// </summary>
public sealed class ShellScriptTests
{
    public static TheoryData<string> Scripts => new(Directory.GetFiles(RepositoryPaths.Of("deploy"), "*.sh", SearchOption.AllDirectories)
        .Where(f => !f.Contains("node_modules", StringComparison.Ordinal))
        .Select(f => Path.GetRelativePath(RepositoryPaths.Root, f).Replace('\\', '/'))
        .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_PassesShellcheck(string script)
    {
        var result = DeployTools.Run("shellcheck", [script], RepositoryPaths.Root, TimeSpan.FromMinutes(1));

        Assert.True(result.ExitCode == 0, $"shellcheck {script}:\n{result.Stdout}{result.Stderr}");
    }

    [Fact]
    public void Shellcheck_BrokenScript_Fails()
    {
        // shellcheck must be able to fail: an unquoted variable that word-splits and a bash array under #!/bin/sh.
        using var folder = new TemporaryFolder("shellcheck-");
        var file = folder.Write("broken.sh", "#!/bin/sh", "files=(a b)", "rm -rf $1/*");

        var result = DeployTools.Run("shellcheck", [file], folder.Path, TimeSpan.FromMinutes(1));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("SC2086", result.Stdout, StringComparison.Ordinal);
    }
}
