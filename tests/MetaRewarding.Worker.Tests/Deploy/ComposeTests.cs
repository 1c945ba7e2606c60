using System.Text.Json.Nodes;
using MetaRewarding.TestSupport;
using MetaRewarding.Worker.Hosting;
using MetaRewarding.Workflows;
using Temporalio.Api.Enums.V1;

namespace MetaRewarding.Worker.Tests.Deploy;

/// <summary>
/// deploy/compose, checked offline by `docker-compose config` (Debian's 1.29.2, which resolves .env, merges the
/// files and rejects bad keys, types and depends_on conditions without a Docker engine), then what the merged
/// project says: start order, health checks, the shared volume, the GPU reservation, the search attributes.
/// </summary>
public sealed class ComposeTests
{
    /// <summary>Every compose file, as compose reads them: compose.yaml alone (a machine without a GPU) and with compose.gpu.yaml (.env's COMPOSE_FILE).</summary>
    public static TheoryData<string> FileSets => new() { "compose.yaml", "compose.yaml:compose.gpu.yaml" };

    private static readonly Lazy<JsonObject> Services = new(() => Load("compose.yaml:compose.gpu.yaml")["services"]!.AsObject());

    [Theory]
    [MemberData(nameof(FileSets))]
    public void Config_EveryFileSet_IsValid(string files)
    {
        var result = DeployTools.ComposeConfig(files.Split(':'), DeployTools.ComposeFolder).Succeeded();

        Assert.Contains("services:", result.Stdout, StringComparison.Ordinal);
        // An interpolated variable missing from .env is only a warning to compose (it becomes ""): not here.
        Assert.DoesNotContain("variable is not set", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_BrokenFile_IsRejectedNamingTheProblem()
    {
        // The validator must be able to fail: an unknown depends_on condition and a misspelled key.
        using var folder = new TemporaryFolder("compose-");
        folder.Write("compose.yaml",
            "services:",
            "  a:",
            "    image: busybox:1.36",
            "    depends_on:",
            "      b:",
            "        condition: service_done",
            "  b:",
            "    image: busybox:1.36",
            "    enviroment: {X: 1}");

        var result = DeployTools.ComposeConfig(["compose.yaml"], folder.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("enviroment", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvFile_PinsEveryImageAndNamesTheProject()
    {
        var environment = DeployTools.ComposeEnvFile();
        var images = Services.Value.Select(s => (Service: s.Key, Image: (string?)s.Value!["image"])).ToList();

        Assert.Equal("metarewarding", environment["COMPOSE_PROJECT_NAME"]);
        Assert.All(images, i =>
        {
            Assert.False(i.Image is null, $"service {i.Service} has no image");
            var tag = i.Image![(i.Image.LastIndexOf(':') + 1)..];
            Assert.True(i.Image.Contains(':', StringComparison.Ordinal) && tag is not ("latest" or ""), $"service {i.Service}: image {i.Image} is not pinned to a version");
        });
        // Compose v2's top-level `name:` is rejected by docker-compose 1.29: the project name lives in .env.
        foreach (var file in Directory.GetFiles(DeployTools.ComposeFolder, "compose*.yaml"))
        {
            Assert.DoesNotContain(File.ReadAllLines(file), l => l.StartsWith("name:", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Services_StartInOrder_AfterHealthChecks()
    {
        var services = Services.Value;

        Assert.Equal("service_healthy", Condition("temporal-schema", "postgresql"));
        Assert.Equal("service_completed_successfully", Condition("temporal", "temporal-schema"));
        Assert.Equal("service_healthy", Condition("temporal-setup", "temporal"));
        Assert.Equal("service_healthy", Condition("temporal-ui", "temporal"));
        Assert.Equal("service_completed_successfully", Condition("worker-cpu", "temporal-setup"));
        Assert.Equal("service_completed_successfully", Condition("worker-gpu", "temporal-setup"));
        Assert.NotNull(services["postgresql"]!["healthcheck"]);
        Assert.NotNull(services["temporal"]!["healthcheck"]);

        string? Condition(string service, string dependency) => (string?)services[service]!["depends_on"]?[dependency]?["condition"];
    }

    [Fact]
    public void Workers_ShareOneVolume_AtTheArtifactPath()
    {
        foreach (var worker in new[] { "worker-cpu", "worker-gpu" })
        {
            var service = Services.Value[worker]!;
            var mounts = service["volumes"]!.AsArray().Select(v => ((string)v!).Split(':')).ToList();
            var artifacts = (string)service["environment"]![$"{MetaRewardingConfiguration.EnvironmentPrefix}Worker__Artifacts"]!;

            Assert.Equal([["data", "/data", "rw"]], mounts);
            Assert.StartsWith("/data/", artifacts, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void GpuWorker_ReservesAnNvidiaGpu_AndServesTheGpuQueueOnCuda()
    {
        var service = Services.Value["worker-gpu"]!;
        var device = service["deploy"]!["resources"]!["reservations"]!["devices"]!.AsArray().Single()!;
        var environment = service["environment"]!;

        Assert.Equal("nvidia", (string?)device["driver"]);
        Assert.Contains("gpu", device["capabilities"]!.AsArray().Select(c => (string?)c));
        Assert.Equal(WorkerSettings.GpuQueue, (string?)environment["METAREWARDING_Worker__Queues"]);
        Assert.Equal("cuda", (string?)environment["METAREWARDING_Worker__Device"]);
    }

    [Fact]
    public void Workers_StopGracePeriod_CoversTheirDrain()
    {
        foreach (var worker in new[] { "worker-cpu", "worker-gpu" })
        {
            var service = Services.Value[worker]!;
            var drain = int.Parse((string)service["environment"]!["METAREWARDING_Worker__GracefulShutdownSeconds"]!, System.Globalization.CultureInfo.InvariantCulture);
            var grace = (string)service["stop_grace_period"]!;

            Assert.EndsWith("s", grace, StringComparison.Ordinal);
            Assert.True(int.Parse(grace[..^1], System.Globalization.CultureInfo.InvariantCulture) >= drain + WorkerHost.ShutdownMargin.TotalSeconds,
                $"{worker}: stop_grace_period {grace} is shorter than its drain ({drain} s) plus the host's margin ({WorkerHost.ShutdownMargin.TotalSeconds} s)");
        }
    }

    [Fact]
    public void Setup_RegistersTheWorkflowsSearchAttributes_WithTheirTypes()
    {
        var registered = ((string)Services.Value["temporal-setup"]!["environment"]!["SEARCH_ATTRIBUTES"]!)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Order().ToList();
        var expected = new[] { (RunSearchAttributes.Iteration.Name, RunSearchAttributes.Iteration.ValueType), (RunSearchAttributes.Phase.Name, RunSearchAttributes.Phase.ValueType) }
            .Select(a => $"{a.Name}={CliType(a.ValueType)}").Order().ToList();

        Assert.Equal(expected, registered);
    }

    [Fact]
    public void Dockerfile_DefaultVersions_EqualTheEnvFile()
    {
        // The ARGs before the first FROM: the versions compose and build-images.sh pass as build arguments.
        var environment = DeployTools.ComposeEnvFile();
        var arguments = DeployTools.DockerfileArguments().TakeWhile(a => a.Key != "FROM").ToDictionary(a => a.Key, a => a.Value);

        Assert.NotEmpty(arguments);
        Assert.All(arguments, a => Assert.True(environment.TryGetValue(a.Key, out var pinned) && pinned == a.Value,
            $"deploy/docker/Dockerfile's ARG {a.Key}={a.Value} differs from deploy/compose/.env ({environment.GetValueOrDefault(a.Key) ?? "missing"}); keep one version"));
    }

    /// <summary>The merged project of <paramref name="files"/> (':'-separated, as COMPOSE_FILE).</summary>
    private static JsonObject Load(string files) =>
        DeployTools.Documents(DeployTools.ComposeConfig(files.Split(':'), DeployTools.ComposeFolder).Succeeded().Stdout).Single()!.AsObject();

    /// <summary>The `temporal operator search-attribute create --type` name of an attribute type.</summary>
    private static string CliType(IndexedValueType type) => type switch
    {
        IndexedValueType.Int => "Int",
        IndexedValueType.Keyword => "Keyword",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "add the temporal CLI's name of this type"),
    };
}
