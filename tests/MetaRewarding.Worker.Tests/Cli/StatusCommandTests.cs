using System.Collections;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.InMemoryTemporal;
using MetaRewarding.Worker.Cli;
using MetaRewarding.Worker.Hosting;
using MetaRewarding.Worker.Runs;
using MetaRewarding.Worker.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MetaRewarding.Worker.Tests.Cli;

/// <summary>The <c>status</c> verb on runs served by the worker host with activity doubles.</summary>
public sealed class StatusCommandTests
{
    private static async Task<(int Code, string Stdout, string Stderr)> RunWithWorkerAsync(FakeActivities activities, string runId, params string[] statusArgs)
    {
        await using var server = await InMemoryTemporalServer.StartAsync();
        var client = await TemporalClientFactory.ConnectAsync(server.Target, new TemporalSettings());
        var queues = new TaskQueues { Cpu = $"cpu-{runId}", Gpu = $"gpu-{runId}" };
        var configuration = MetaRewardingConfiguration.Build(
            new Dictionary<string, string?>
            {
                ["Worker:CpuTaskQueue"] = queues.Cpu,
                ["Worker:GpuTaskQueue"] = queues.Gpu,
                ["Worker:GracefulShutdownSeconds"] = "1",
                ["Serilog:MinimumLevel:Default"] = "Warning",
            },
            new Hashtable(),
            AppContext.BaseDirectory);
        using var host = WorkerHost.Build(configuration, client, s => s.AddSingleton<IRunActivities>(activities).AddSingleton<IModelActivities>(activities));
        await host.StartAsync();
        try
        {
            var paper = RunConfiguration.Paper;
            var input = new RunInput
            {
                RunId = runId,
                Configuration = paper with { Iterations = [paper.Iterations[2]] },
                Sandbox = new SandboxOptions(),
                TaskQueues = queues,
            };
            await RunStarter.StartAsync(client, input);
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await StatusCommand.RunAsync(["--id", runId, "--temporal", server.Target, .. statusArgs], stdout, stderr);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task RunAsync_WatchUntilTheRunCompletes_PrintsProgressAndTheResult()
    {
        var (code, stdout, stderr) = await RunWithWorkerAsync(new FakeActivities(), "status-ok", "--watch");

        Assert.True(code == StatusCommand.ExitOk, stderr);
        Assert.Contains("status-ok: COMPLETED, phase done", stdout, StringComparison.Ordinal);
        Assert.Contains("Run status-ok completed: 1 iterations", stdout, StringComparison.Ordinal);
        Assert.Contains("finished iteration 1: 3 actor pairs", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RunFailedNonRetryably_Exits1WithTheActivitysReason()
    {
        var activities = new FakeActivities { FailPrepareRun = "iterations[0].dpo.beta must be > 0" };

        var (code, _, stderr) = await RunWithWorkerAsync(activities, "status-failed", "--watch");

        Assert.Equal(StatusCommand.ExitRunFailed, code);
        Assert.Contains("Run status-failed did not complete", stderr, StringComparison.Ordinal);
        Assert.Contains("iterations[0].dpo.beta must be > 0", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownWorkflow_Exits2()
    {
        await using var server = await InMemoryTemporalServer.StartAsync();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await StatusCommand.RunAsync(["--id", "no-such-run", "--temporal", server.Target], stdout, stderr);

        Assert.Equal(StatusCommand.ExitUnavailable, code);
        Assert.Contains("no workflow 'no-such-run'", stderr.ToString(), StringComparison.Ordinal);
    }
}
