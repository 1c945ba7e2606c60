using MetaRewarding.InMemoryTemporal.Tests.Support;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

public sealed class StartAndResultTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task GetSystemInfo_Always_ReportsSdkMetadataCapability()
    {
        var info = await fixture.Client.WorkflowService.GetSystemInfoAsync(new GetSystemInfoRequest());
        Assert.True(info.Capabilities.SdkMetadata);
    }

    [Fact]
    public async Task DescribeNamespace_UnknownNamespace_IsNotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.WorkflowService.DescribeNamespaceAsync(new DescribeNamespaceRequest { Namespace = "nope" }));
        Assert.Equal(RpcException.StatusCode.NotFound, ex.Code);
    }

    [Fact]
    public async Task ExecuteWorkflow_OneActivity_ReturnsActivityResult()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<EchoWorkflow>().AddAllActivities(new TestActivities()), async () =>
        {
            var result = await fixture.Client.ExecuteWorkflowAsync((EchoWorkflow w) => w.RunAsync("hello"), new("echo-" + queue, queue));
            Assert.Equal("hello", result);
        });
    }

    [Fact]
    public async Task StartWorkflow_SameIdWhileRunning_ThrowsWorkflowAlreadyStarted()
    {
        var queue = ServerFixture.NewTaskQueue();
        var id = "dup-" + queue;
        var first = await fixture.Client.StartWorkflowAsync((WaitForeverWorkflow w) => w.RunAsync(), new(id, queue));
        var ex = await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(() =>
            fixture.Client.StartWorkflowAsync((WaitForeverWorkflow w) => w.RunAsync(), new(id, queue)));
        Assert.Equal(first.ResultRunId, ex.RunId);
        await first.TerminateAsync("test over");
    }

    [Fact]
    public async Task StartWorkflow_ConflictPolicyUseExisting_ReturnsRunningRun()
    {
        var queue = ServerFixture.NewTaskQueue();
        var id = "use-existing-" + queue;
        var first = await fixture.Client.StartWorkflowAsync((WaitForeverWorkflow w) => w.RunAsync(), new(id, queue));
        var second = await fixture.Client.StartWorkflowAsync((WaitForeverWorkflow w) => w.RunAsync(),
            new(id, queue) { IdConflictPolicy = WorkflowIdConflictPolicy.UseExisting });
        Assert.Equal(first.ResultRunId, second.ResultRunId);
        await first.TerminateAsync("test over");
    }

    [Fact]
    public async Task StartWorkflow_ClosedIdWithRejectDuplicate_ThrowsButAllowDuplicateStarts()
    {
        var queue = ServerFixture.NewTaskQueue();
        var id = "reuse-" + queue;
        var first = await fixture.Client.StartWorkflowAsync((WaitForeverWorkflow w) => w.RunAsync(), new(id, queue));
        await first.TerminateAsync("make room");
        await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(() => fixture.Client.StartWorkflowAsync((WaitForeverWorkflow w) => w.RunAsync(),
            new(id, queue) { IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate }));
        var again = await fixture.Client.StartWorkflowAsync((WaitForeverWorkflow w) => w.RunAsync(),
            new(id, queue) { IdReusePolicy = WorkflowIdReusePolicy.AllowDuplicateFailedOnly });
        Assert.NotEqual(first.ResultRunId, again.ResultRunId);
        await again.TerminateAsync("test over");
    }

    [Fact]
    public async Task ExecuteWorkflow_WorkflowTaskFailsOnce_RetriesTaskAndCompletes()
    {
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<FailsOnceWorkflow>(), async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync((FailsOnceWorkflow w) => w.RunAsync(), new("fails-once-" + queue, queue));
            Assert.Equal("recovered", await handle.GetResultAsync().WaitAsync(TimeSpan.FromSeconds(30)));
            var history = await handle.FetchHistoryAsync();
            Assert.Contains(history.Events, e => e.EventType == EventType.WorkflowTaskFailed);
        });
    }
}
