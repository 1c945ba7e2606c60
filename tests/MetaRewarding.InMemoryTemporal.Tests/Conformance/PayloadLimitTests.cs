using MetaRewarding.InMemoryTemporal.Tests.Support;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

public sealed class PayloadLimitTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int OverLimit = 3 * 1024 * 1024; // Temporal refuses payloads over 2 MB

    [Fact]
    public async Task Start_InputOverTwoMegabytes_IsInvalidArgumentNamingTheLimit()
    {
        var queue = ServerFixture.NewTaskQueue();
        var input = new string('x', OverLimit);
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.StartWorkflowAsync((EchoWorkflow w) => w.RunAsync(input), new("big-input-" + queue, queue)));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
        Assert.Contains("payload limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActivityResult_OverTwoMegabytes_FailsEachAttempt()
    {
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TestActivities();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<BigResultWorkflow>().AddAllActivities(activities), async () =>
        {
            var ex = await Assert.ThrowsAsync<WorkflowFailedException>(() =>
                fixture.Client.ExecuteWorkflowAsync((BigResultWorkflow w) => w.RunAsync(OverLimit), new("big-result-" + queue, queue)));
            var failure = Assert.IsType<ActivityFailureException>(ex.InnerException);
            Assert.Contains("payload limit", failure.InnerException?.Message, StringComparison.Ordinal);
        });
        Assert.Equal(2, activities.Attempts.Count);
    }
}
