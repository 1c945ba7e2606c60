using System.Collections;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.InMemoryTemporal;
using MetaRewarding.Worker.Hosting;
using Serilog;
using Serilog.Extensions.Logging;
using Temporalio.Client;
using Temporalio.Worker;

namespace MetaRewarding.Worker.Tests.Logging;

/// <summary>
/// The worker's logs reach Seq: the logger <see cref="LoggingSetup"/> builds from Serilog:Seq:ServerUrl / ApiKey,
/// under a real Temporal worker (in-process server) with the <see cref="ActivityLogContextInterceptor"/> the worker
/// host installs, posting to <see cref="SeqIngestionStandIn"/> (a recording stand-in for Seq's ingestion API, since
/// Seq cannot be installed here). A dead Seq must neither block nor fail the worker.
/// </summary>
public sealed class SeqSinkTests
{
    private static readonly ArtifactRef Any = new("runs/run-7/run.json", new string('0', 64), 1);
    private static readonly ShardInput Shard = new(new IterationContext("run-7", Any, 3, Any), [], 4, 8);

    [Fact]
    public async Task ActivityLogs_ReachSeq_WithTheRunIterationActivityAndAttempt()
    {
        using var seq = new SeqIngestionStandIn();

        var workflowId = await RunProbeAsync(seq.ServerUrl, apiKey: "test-ingestion-key");

        var probe = seq.Events.Single(e => e.Template == SeqProbeActivities.Message);
        Assert.Equal(workflowId, probe.Property("WorkflowId"));
        Assert.False(string.IsNullOrEmpty(probe.Property("WorkflowRunId")));
        Assert.Equal("run-7", probe.Property("RunId"));
        Assert.Equal("3", probe.Property("Iteration"));
        Assert.Equal(nameof(SeqProbeActivities.ProbeShard), probe.Property("ActivityType"));
        Assert.Equal("2", probe.Property("Attempt"));
        Assert.Equal("4", probe.Property("Shard"));
        Assert.Equal("metarewarding", probe.Property("Application"));
        Assert.Equal("test-ingestion-key", probe.ApiKey);
    }

    [Fact]
    public async Task DeadSeq_NeitherBlocksNorFailsTheWorker()
    {
        // Nothing listens at this URL: every post the sink makes is refused. The run still completes and the
        // logger still shuts down (the sink drops what it cannot send; Serilog's SelfLog says why).
        var workflowId = await RunProbeAsync(SeqIngestionStandIn.DeadServerUrl(), apiKey: null);

        Assert.StartsWith("seq-probe-", workflowId, StringComparison.Ordinal);
    }

    /// <summary>Runs <see cref="SeqProbeWorkflow"/> on a worker logging through LoggingSetup to <paramref name="seqUrl"/>, flushes the logger and returns the workflow id.</summary>
    private static async Task<string> RunProbeAsync(string seqUrl, string? apiKey)
    {
        var configuration = MetaRewardingConfiguration.Build(
            new Dictionary<string, string?>
            {
                [LoggingSetup.SeqServerUrlKey] = seqUrl,
                [LoggingSetup.SeqApiKeyKey] = apiKey,
                ["Serilog:MinimumLevel:Default"] = "Information",
            },
            new Hashtable(),
            AppContext.BaseDirectory);
        var logger = LoggingSetup.Configure(new LoggerConfiguration(), configuration).CreateLogger();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var workflowId = $"seq-probe-{Guid.NewGuid():N}";
        var queue = $"seq-probe-{Guid.NewGuid():N}";
        try
        {
            using var loggerFactory = new SerilogLoggerFactory(logger);
            await using var server = await InMemoryTemporalServer.StartAsync();
            var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Target) { Namespace = server.Namespace, DataConverter = RunPayloadConverter.DataConverter });
            using var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue)
            {
                LoggerFactory = loggerFactory,
                Interceptors = [new ActivityLogContextInterceptor()],
            }.AddWorkflow<SeqProbeWorkflow>().AddAllActivities(new SeqProbeActivities()));

            var result = await worker.ExecuteAsync(
                () => client.ExecuteWorkflowAsync((SeqProbeWorkflow w) => w.RunAsync(Shard), new WorkflowOptions(workflowId, queue)),
                timeout.Token);

            Assert.Equal("done", result);
        }
        finally
        {
            // Disposing flushes the Seq sink's batch; with a dead Seq it must still return.
            await Task.Run(logger.Dispose).WaitAsync(timeout.Token);
        }

        return workflowId;
    }
}
