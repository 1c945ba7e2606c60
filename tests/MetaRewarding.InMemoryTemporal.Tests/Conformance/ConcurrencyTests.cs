using MetaRewarding.InMemoryTemporal.Tests.Support;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

public sealed class ConcurrencyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task HundredWorkflows_TenActivitiesEach_AllComplete()
    {
        const int Workflows = 100;
        const int ActivitiesEach = 10;
        var queue = ServerFixture.NewTaskQueue();
        var activities = new TestActivities();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<ManyActivitiesWorkflow>().AddAllActivities(activities), async () =>
        {
            var handles = await Task.WhenAll(Enumerable.Range(0, Workflows).Select(i =>
                fixture.Client.StartWorkflowAsync((ManyActivitiesWorkflow w) => w.RunAsync(ActivitiesEach), new($"many-{i}-{queue}", queue))));
            var results = await Task.WhenAll(handles.Select(h => h.GetResultAsync())).WaitAsync(TimeSpan.FromSeconds(120));
            Assert.All(results, r => Assert.Equal(ActivitiesEach, r));
        });
        Assert.Equal(Workflows * ActivitiesEach, activities.EchoCalls);
    }
}
