using System.Collections;
using MetaRewarding.Modeling.Engine;
using MetaRewarding.Worker.Hosting;

namespace MetaRewarding.Worker.Tests.Hosting;

/// <summary>Configuration layers: appsettings.json &lt; TEMPORAL_* &lt; METAREWARDING_* &lt; command line.</summary>
public sealed class MetaRewardingConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly Dictionary<string, string?> NoCommandLine = [];

    private void AppSettings(string json) => File.WriteAllText(Path.Combine(_folder, "appsettings.json"), json);

    [Fact]
    public void Build_AppSettingsOnly_BindsEverySetting()
    {
        AppSettings("""
            {
              // comments are allowed, as in the shipped file
              "Temporal": { "Address": "t:7233", "Namespace": "ns", "ApiKey": "k", "Tls": { "ClientCertPath": "/c.pem", "ClientKeyPath": "/k.pem" } },
              "Worker": { "Queues": "gpu", "Artifacts": "/data", "Device": "cuda:1", "ComputeDtype": "bfloat16", "GracefulShutdownSeconds": 90 }
            }
            """);

        var configuration = MetaRewardingConfiguration.Build(NoCommandLine, new Hashtable(), _folder);
        var temporal = MetaRewardingConfiguration.Temporal(configuration);
        var worker = MetaRewardingConfiguration.Worker(configuration);

        Assert.Equal(("t:7233", "ns", "k"), (temporal.Address, temporal.Namespace, temporal.ApiKey));
        Assert.Equal(("/c.pem", "/k.pem"), (temporal.Tls.ClientCertPath, temporal.Tls.ClientKeyPath));
        Assert.True(temporal.Tls.Enabled);
        Assert.Equal(["gpu"], worker.ServedQueues());
        Assert.Equal(("/data", "cuda:1", "bfloat16", 90), (worker.Artifacts, worker.Device, worker.ComputeDtype, worker.GracefulShutdownSeconds));
        Assert.Empty(worker.Validate());
    }

    [Fact]
    public void Build_TemporalCliVariables_FillTheTemporalSettings()
    {
        AppSettings("""{ "Temporal": { "Address": "from-file:7233" } }""");
        var environment = new Hashtable
        {
            ["TEMPORAL_ADDRESS"] = "from-env:7233",
            ["TEMPORAL_NAMESPACE"] = "env-ns",
            ["TEMPORAL_TLS_CLIENT_CERT_PATH"] = "/env/cert.pem",
            ["UNRELATED"] = "x",
        };

        var temporal = MetaRewardingConfiguration.Temporal(MetaRewardingConfiguration.Build(NoCommandLine, environment, _folder));

        Assert.Equal("from-env:7233", temporal.Address);
        Assert.Equal("env-ns", temporal.Namespace);
        Assert.Equal("/env/cert.pem", temporal.Tls.ClientCertPath);
    }

    [Fact]
    public void Build_AllLayers_CommandLineWinsThenPrefixedThenTemporalCli()
    {
        AppSettings("""{ "Temporal": { "Address": "file:1", "Namespace": "file-ns" }, "Worker": { "Device": "cpu", "Artifacts": "/file" } }""");
        var environment = new Hashtable
        {
            ["TEMPORAL_ADDRESS"] = "temporal-cli:2",
            ["TEMPORAL_NAMESPACE"] = "cli-ns",
            ["METAREWARDING_Temporal__Namespace"] = "prefixed-ns",
            ["METAREWARDING_Worker__Device"] = "cuda",
            ["METAREWARDING_Worker__Artifacts"] = "/prefixed",
        };
        var commandLine = new Dictionary<string, string?> { ["Temporal:Address"] = "args:3", ["Worker:Artifacts"] = "/args", ["Temporal:Namespace"] = null };

        var configuration = MetaRewardingConfiguration.Build(commandLine, environment, _folder);
        var temporal = MetaRewardingConfiguration.Temporal(configuration);
        var worker = MetaRewardingConfiguration.Worker(configuration);

        Assert.Equal("args:3", temporal.Address);
        // An option not given on the command line (null) does not hide the layers below it.
        Assert.Equal("prefixed-ns", temporal.Namespace);
        Assert.Equal("cuda", worker.Device);
        Assert.Equal("/args", worker.Artifacts);
    }

    [Fact]
    public void Build_QueuesOverriddenByOneQueue_ServesOnlyThatQueue()
    {
        // The trap this guards against: configuration merges arrays by index, so ["cpu","gpu"] overridden by
        // ["gpu"] would still serve both. Queues is a comma-separated string for that reason.
        AppSettings("""{ "Worker": { "Queues": "cpu,gpu" } }""");

        var worker = MetaRewardingConfiguration.Worker(MetaRewardingConfiguration.Build(
            new Dictionary<string, string?> { ["Worker:Queues"] = "GPU" }, new Hashtable(), _folder));

        Assert.Equal(["gpu"], worker.ServedQueues());
    }

    [Fact]
    public void Build_NoAppSettings_UsesTheDefaults()
    {
        var configuration = MetaRewardingConfiguration.Build(NoCommandLine, new Hashtable(), _folder);

        Assert.Equal("", MetaRewardingConfiguration.Temporal(configuration).Address);
        Assert.Equal("default", MetaRewardingConfiguration.Temporal(configuration).Namespace);
        Assert.Equal(["cpu", "gpu"], MetaRewardingConfiguration.Worker(configuration).ServedQueues());
        Assert.Equal("metarewarding-gpu", MetaRewardingConfiguration.Worker(configuration).TaskQueues.Gpu);
    }

    [Fact]
    public void ShippedAppSettings_BindsToValidSettings()
    {
        // The appsettings.json shipped next to the executable (copied into the test output).
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));

        var configuration = MetaRewardingConfiguration.Build(NoCommandLine, new Hashtable(), AppContext.BaseDirectory);

        Assert.Empty(MetaRewardingConfiguration.Worker(configuration).Validate());
        Assert.Equal(7233, MetaRewardingConfiguration.Temporal(configuration).LocalPort);
        Assert.False(LoggingSetup.HasSeq(configuration));
    }

    [Fact]
    public void Validate_BadSettings_NamesEachProblem()
    {
        var errors = new WorkerSettings { Queues = "cpu,tpu", ComputeDtype = "int8", Artifacts = " ", GracefulShutdownSeconds = -1 }.Validate();

        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.Contains("'tpu'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ComputeDtype", StringComparison.Ordinal) && e.Contains(ComputeDtypes.Choices, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Artifacts", StringComparison.Ordinal));
        Assert.Empty(new WorkerSettings { ComputeDtype = "BF16" }.Validate()); // the spellings every other entry point accepts (ComputeDtypes)
        Assert.Contains(errors, e => e.Contains("GracefulShutdownSeconds", StringComparison.Ordinal));
    }
}
