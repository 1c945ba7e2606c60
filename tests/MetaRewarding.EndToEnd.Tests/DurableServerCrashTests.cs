using MetaRewarding.Activities.Contracts;
using MetaRewarding.EndToEnd.Tests.Support;
using MetaRewarding.TestSupport;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Xunit.Abstractions;

namespace MetaRewarding.EndToEnd.Tests;

/// <summary>
/// The whole thing in one process, as `demo` runs it: a worker with its own in-process server keeping its state in a
/// database file. SIGKILLed at random moments, several times, and started again with the same command each time: the
/// run continues from its history and ends with the final checkpoint of the uninterrupted reference run (same seed).
/// The moments come from a seeded generator and are printed, so a failure can be replayed.
/// </summary>
[Collection(ReferenceRunGroup.Name)]
public sealed class DurableServerCrashTests(ReferenceRunFixture reference, ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task ProcessWithItsOwnDurableServer_KilledAtRandomMomentsAndStartedAgain_EndsWithTheUninterruptedCheckpoint()
    {
        const string runId = "durable-kills";
        using var folder = new TemporaryFolder();
        var database = Path.Combine(folder.Path, "temporal.db");
        var port = LoopbackPort.Free();
        var random = new Random(20261203);
        var lives = new List<WorkerProcess> { WorkerProcess.StartWithOwnServer(folder.Path, port, database, "life-1") };
        var passed = false;
        try
        {
            using var timeout = new CancellationTokenSource(Limit);
            var client = await ConnectAsync(port, timeout.Token);
            var handle = await Worker.Runs.RunStarter.StartAsync(client, TinyRun.Input(runId, new TaskQueues()));
            var kills = 0;
            while (kills < 3 && !await IsClosedAsync(handle, timeout.Token))
            {
                // A random moment of the run's work: once the process serves, 10-30 % of the uninterrupted run's time.
                while (!lives[^1].Log.Contains("Worker on ", StringComparison.Ordinal))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
                }
                var after = reference.Duration * (0.1 + (0.2 * random.NextDouble()));
                await Task.Delay(after, timeout.Token);
                if (await IsClosedAsync(handle, timeout.Token))
                {
                    break;
                }
                lives[^1].Kill();
                kills++;
                output.WriteLine($"SIGKILL life-{lives.Count} {after.TotalSeconds:F1} s after it began serving (the uninterrupted run took {reference.Duration.TotalSeconds:F0} s)");
                lives.Add(WorkerProcess.StartWithOwnServer(folder.Path, port, database, $"life-{lives.Count + 1}"));
            }
            Assert.True(kills >= 2, $"the run finished after {kills} kill(s): too fast for this test's moments");
            while (!await IsClosedAsync(handle, timeout.Token))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), timeout.Token);
            }

            var summary = await handle.GetResultAsync();
            Assert.Equal(reference.Observation.Summary.Iterations[^1].Model.Sha256, summary.Iterations[^1].Model.Sha256);
            passed = true;
        }
        finally
        {
            foreach (var life in lives)
            {
                life.Dispose();
                if (!passed)
                {
                    output.WriteLine(life.Log);
                }
            }
        }
    }

    /// <summary>Connects once the process's server listens (it starts with the process, in seconds).</summary>
    private static async Task<TemporalClient> ConnectAsync(int port, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                // The run's payloads as the workers write them (non-finite figures as strings).
                return await TemporalClient.ConnectAsync(new TemporalClientConnectOptions($"127.0.0.1:{port}") { DataConverter = RunPayloadConverter.DataConverter });
            }
            catch (Exception e) when (e is Temporalio.Exceptions.TemporalException or InvalidOperationException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            }
        }
    }

    /// <summary>Whether the run closed; while the server is down (between a kill and the restart) it asks again.</summary>
    private static async Task<bool> IsClosedAsync(WorkflowHandle handle, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return (await handle.DescribeAsync()).Status != WorkflowExecutionStatus.Running;
            }
            catch (Temporalio.Exceptions.RpcException e) when (e.Code is Temporalio.Exceptions.RpcException.StatusCode.Unavailable
                or Temporalio.Exceptions.RpcException.StatusCode.Cancelled or Temporalio.Exceptions.RpcException.StatusCode.Unknown)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            }
        }
    }
}
