using MetaRewarding.InMemoryTemporal.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Worker;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

/// <summary>The server's clock is a TimeProvider: with a fake one, a test skips hours of workflow time.</summary>
public sealed class TimeSkippingTests
{
    [Fact]
    public async Task FakeClock_HourLongTimer_FiresWhenClockAdvances()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await InMemoryTemporalServer.StartAsync(new InMemoryTemporalServerOptions { TimeProvider = clock, LongPollTimeout = TimeSpan.FromSeconds(3) });
        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Target));
        var queue = ServerFixture.NewTaskQueue();
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue) { GracefulShutdownTimeout = TimeSpan.Zero }.AddWorkflow<TimerWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await client.StartWorkflowAsync((TimerWorkflow w) => w.RunAsync((int)TimeSpan.FromHours(1).TotalMilliseconds), new("skip-" + queue, queue));
            // Advance only once the timer is recorded (its workflow task completed), so no task timeout fires with it.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!(await handle.FetchHistoryAsync()).Events.Any(e => e.EventType == EventType.TimerStarted))
            {
                Assert.True(DateTime.UtcNow < deadline, "the workflow never started its timer");
                await Task.Delay(20);
            }
            var result = handle.GetResultAsync();
            await Task.Delay(200);
            Assert.False(result.IsCompleted, "the timer must not fire before the clock reaches it");
            clock.Advance(TimeSpan.FromHours(1));
            var elapsedMs = await result.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(TimeSpan.FromHours(1).TotalMilliseconds, elapsedMs);
        });
    }
}
