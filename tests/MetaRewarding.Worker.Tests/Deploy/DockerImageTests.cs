using System.Text.Json.Nodes;
using MetaRewarding.TestSupport;

namespace MetaRewarding.Worker.Tests.Deploy;

/// <summary>
/// deploy/docker without a Docker engine: the Dockerfile linted (hadolint has no Debian package, so
/// deploy/tools/lint-dockerfile.mjs applies the VS Code Docker extension's validator and the hadolint rules the
/// images must keep, under hadolint's codes), and the publish step the images copy from, run as they run it.
/// </summary>
public sealed class DockerImageTests
{
    [Fact]
    public void Dockerfile_Lint_FindsNoProblems()
    {
        var problems = Lint(DeployTools.Dockerfile);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Lint_BadDockerfile_ReportsEveryRule()
    {
        // The linter must be able to fail: one breach of each rule it applies.
        using var folder = new TemporaryFolder("dockerfile-");
        var file = folder.Write("Dockerfile",
            "FROM ubuntu AS unpinned",
            "FROM debian:latest AS latest",
            "ADD app.tar /app",
            "RUN cd /app && apt-get install curl | tee log",
            "WORKDIR relative",
            "MAINTAINER someone",
            "ENTRYPOINT /app/run",
            "FROM alpine:3.20",
            "ENTRYPOINT [\"/app/run\"]");

        var rules = Lint(file).Select(p => p.Split(':')[0]).ToHashSet();

        // dockerfile-utils: the extension's own validator (it flags the relative WORKDIR too).
        Assert.Equal(["DL3000", "DL3002", "DL3003", "DL3006", "DL3007", "DL3009", "DL3014", "DL3015", "DL3020", "DL3025", "DL4000", "DL4006", "dockerfile-utils"], rules.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PublishStep_OfTheGpuImage_HasTheEntrypointAndTorchSharpButNoLibtorch()
    {
        // deploy/docker/publish-worker.sh as the Dockerfile runs it for the GPU image (the CPU image's step is the
        // same publish, keeping libtorch). It is the repository's normal Release build, so after a build it only copies.
        using var output = new TemporaryFolder("publish-");
        var app = Path.Combine(output.Path, "app");

        // No MSBuild nodes left running after the test (they would outlive the test host).
        var noNodeReuse = new Dictionary<string, string?> { ["MSBUILDDISABLENODEREUSE"] = "1" };
        DeployTools.Run("sh", ["deploy/docker/publish-worker.sh", app, "--without-libtorch"], RepositoryPaths.Root, TimeSpan.FromMinutes(8), noNodeReuse).Succeeded();
        var help = DeployTools.Run(Path.Combine(app, "metarewarding"), ["worker", "--help"], app, TimeSpan.FromMinutes(1)).Succeeded();

        Assert.True(File.Exists(Path.Combine(app, "appsettings.json")));
        Assert.True(File.Exists(Path.Combine(app, "libLibTorchSharp.so")), "TorchSharp's native glue must stay: it loads the image's libtorch");
        Assert.Empty(Directory.GetFiles(app, "libtorch*.so*").Concat(Directory.GetFiles(app, "libc10*.so*")));
        Assert.Contains("--queues", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void GpuImage_PyTorch_IsTheLibtorchTorchSharpIsBuiltAgainst()
    {
        // TorchSharp's native glue only works with the libtorch version it was built against: the CPU image gets it
        // from NuGet (libtorch-cpu-linux-x64), the GPU image from PyTorch, whose build checks LIBTORCH_VERSION.
        var packages = System.Xml.Linq.XDocument.Load(RepositoryPaths.Of("Directory.Packages.props"));
        var libtorch = packages.Descendants("PackageVersion").Single(p => (string?)p.Attribute("Include") == "libtorch-cpu-linux-x64").Attribute("Version")!.Value;
        var arguments = DeployTools.DockerfileArguments().Where(a => a.Key != "FROM").ToDictionary(a => a.Key, a => a.Value);

        Assert.Equal(libtorch, arguments["LIBTORCH_VERSION"]);
        Assert.StartsWith($"{libtorch}-cuda", arguments["PYTORCH_IMAGE_TAG"], StringComparison.Ordinal);
    }

    /// <summary>The problems deploy/tools/lint-dockerfile.mjs finds in <paramref name="dockerfile"/>, as "RULE: line N: message".</summary>
    private static List<string> Lint(string dockerfile)
    {
        var report = JsonNode.Parse(DeployTools.Node("lint-dockerfile.mjs", dockerfile).Succeeded().Stdout)!;
        return report["problems"]!.AsArray()
            .Select(p => $"{p!["rule"]}: line {p["line"]}: {p["message"]}")
            .ToList();
    }
}
