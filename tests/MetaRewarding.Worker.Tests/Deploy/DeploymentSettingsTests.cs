using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using MetaRewarding.Worker.Cli;
using MetaRewarding.Worker.Hosting;
using Microsoft.Extensions.Configuration;

namespace MetaRewarding.Worker.Tests.Deploy;

/// <summary>
/// What the deployment files tell the worker must be something the worker reads: every environment variable of the
/// images, the compose workers and the chart's Deployments names a setting of the worker's configuration (or one of
/// the few platform variables below), every entrypoint runs the `worker` verb of the published executable, and each
/// worker container's whole environment builds a valid configuration that names a cluster. Renaming a setting or a
/// verb fails here, at build time, not in a deployment.
/// </summary>
public sealed class DeploymentSettingsTests
{
    /// <summary>Variables the deployment files set for the platform rather than the worker, and why.</summary>
    private static readonly Dictionary<string, string> PlatformVariables = new(StringComparer.Ordinal)
    {
        ["DOTNET_ROOT"] = "where the apphost finds the .NET runtime copied into the GPU image",
        ["LD_LIBRARY_PATH"] = "where TorchSharp's native glue finds the PyTorch image's CUDA libtorch",
    };

    private static readonly Lazy<IReadOnlyList<Container>> Containers = new(Collect);

    [Fact]
    public void EnvironmentVariables_EveryDeploymentFile_NameWorkerSettings()
    {
        var known = KnownSettings();
        var problems = Containers.Value.SelectMany(c => c.Environment.Keys.Select(name => (c.Source, Name: name))).Distinct()
            .Where(v => !MetaRewardingConfiguration.TemporalCliVariables.ContainsKey(v.Name) && !PlatformVariables.ContainsKey(v.Name)
                && !(v.Name.StartsWith(MetaRewardingConfiguration.EnvironmentPrefix, StringComparison.Ordinal) && known.Contains(SettingOf(v.Name))))
            .Select(v => $"{v.Source}: {v.Name} is not a setting the worker reads (settings: {string.Join(", ", known.Order(StringComparer.Ordinal))}; "
                + $"Temporal CLI variables: {string.Join(", ", MetaRewardingConfiguration.TemporalCliVariables.Keys)})")
            .ToList();

        Assert.True(Containers.Value.Count >= 8, $"expected the 2 image stages, 2 compose workers and 2 x 2 chart workers, found {Containers.Value.Count}");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Entrypoints_RunTheWorkerVerbOfThePublishedExecutable()
    {
        var executable = $"/app/{typeof(WorkerHost).Assembly.GetName().Name}";

        Assert.All(Containers.Value.Where(c => c.Command is not null), c =>
        {
            Assert.True(c.Command![0] == executable, $"{c.Source}: runs {c.Command[0]}, but the images publish the worker to {executable}");
            var parse = CliVerbs.CreateRoot().Parse(c.Command.Skip(1).ToArray());
            Assert.True(parse.Errors.Count == 0, $"{c.Source}: `{string.Join(' ', c.Command)}`: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
            Assert.Equal(WorkerCommand.Name, parse.CommandResult.Command.Name);
        });
    }

    [Fact]
    public void WorkerContainers_WholeEnvironment_IsAValidConfigurationForACluster()
    {
        var images = Containers.Value.Where(c => c.Source.StartsWith("deploy/docker", StringComparison.Ordinal)).ToDictionary(c => c.Flavor);

        Assert.All(Containers.Value.Where(c => !c.Source.StartsWith("deploy/docker", StringComparison.Ordinal)), c =>
        {
            // The container's variables over its image's, as the container runtime merges them.
            var environment = new Hashtable();
            foreach (var (name, value) in images[c.Flavor].Environment.Concat(c.Environment))
            {
                environment[name] = value;
            }

            var configuration = MetaRewardingConfiguration.Build(new Dictionary<string, string?>(), environment, AppContext.BaseDirectory);
            var worker = MetaRewardingConfiguration.Worker(configuration);
            Assert.True(worker.Validate().Count == 0, $"{c.Source}: {string.Join("; ", worker.Validate())}");
            Assert.True(MetaRewardingConfiguration.Temporal(configuration).Address.Length > 0, $"{c.Source}: no Temporal address: the worker would start a non-durable in-process server");
            Assert.Equal([c.Flavor], worker.ServedQueues());
            Assert.StartsWith("/data/", worker.Artifacts, StringComparison.Ordinal);
        });
    }

    /// <summary>Configuration keys the worker reads: the bound settings classes and the logging keys.</summary>
    private static HashSet<string> KnownSettings()
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { LoggingSetup.SeqServerUrlKey, LoggingSetup.SeqApiKeyKey };
        AddProperties(typeof(TemporalSettings), TemporalSettings.Section, keys);
        AddProperties(typeof(WorkerSettings), WorkerSettings.Section, keys);
        return keys;
    }

    /// <summary>The configuration keys a settings class binds: its public settable properties, nested classes recursively.</summary>
    private static void AddProperties(Type type, string prefix, HashSet<string> keys)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = ConfigurationPath.Combine(prefix, property.Name);
            if (property.PropertyType.IsClass && property.PropertyType != typeof(string))
            {
                AddProperties(property.PropertyType, key, keys);
            }
            else
            {
                keys.Add(key);
            }
        }
    }

    private static string SettingOf(string variable) =>
        variable[MetaRewardingConfiguration.EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);

    /// <summary>A container as a deployment file defines it: where, which worker image, its variables and command.</summary>
    private sealed record Container(string Source, string Flavor, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string>? Command);

    private static List<Container> Collect()
    {
        var containers = new List<Container>();
        var lint = JsonNode.Parse(DeployTools.Node("lint-dockerfile.mjs", DeployTools.Dockerfile).Succeeded().Stdout)!;
        foreach (var stage in lint["stages"]!.AsArray().Where(s => s!["entrypoint"] is not null))
        {
            var flavor = (string)stage!["name"]!;
            containers.Add(new Container($"deploy/docker/Dockerfile, target {flavor}", flavor,
                stage["env"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!),
                [.. stage["entrypoint"]!.AsArray().Select(a => (string)a!)]));
        }

        var compose = DeployTools.Documents(DeployTools.ComposeConfig(["compose.yaml", "compose.gpu.yaml"], DeployTools.ComposeFolder).Succeeded().Stdout).Single()!;
        foreach (var (name, service) in compose["services"]!.AsObject().Where(s => s.Value!["build"] is not null))
        {
            containers.Add(new Container($"deploy/compose, service {name}", (string)service!["build"]!["target"]!,
                service["environment"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!),
                service["command"]?.AsArray().Select(a => (string)a!).ToList()));
        }

        foreach (var file in DeployTools.ChartValuesFiles)
        {
            var documents = DeployTools.Documents(DeployTools.Template(file).Succeeded().Stdout);
            foreach (var deployment in documents.Where(d => (string?)d!["kind"] == "Deployment"))
            {
                var name = (string)deployment!["metadata"]!["name"]!;
                var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
                containers.Add(new Container($"deploy/helm/metarewarding with {file}, Deployment {name}", name.EndsWith("-gpu-worker", StringComparison.Ordinal) ? "gpu" : "cpu",
                    HelmChartTests.Env(deployment),
                    container["command"]?.AsArray().Select(a => (string)a!).ToList()));
            }
        }

        return containers;
    }
}
