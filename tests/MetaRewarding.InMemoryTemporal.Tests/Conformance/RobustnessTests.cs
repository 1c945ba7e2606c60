using Google.Protobuf;
using MetaRewarding.InMemoryTemporal.Tests.Support;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

public sealed class RobustnessTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task UnimplementedMethod_Called_AnswersUnimplementedNamingMethod()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.WorkflowService.ListSchedulesAsync(new ListSchedulesRequest { Namespace = fixture.Server.Namespace }));
        Assert.Equal(RpcException.StatusCode.Unimplemented, ex.Code);
        Assert.Contains("ListSchedules", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteActivity_GarbageTaskToken_IsInvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.WorkflowService.RespondActivityTaskCompletedAsync(
            new RespondActivityTaskCompletedRequest { Namespace = fixture.Server.Namespace, TaskToken = ByteString.CopyFromUtf8("not a token") }));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
    }

    [Fact]
    public async Task StartWorkflow_MissingWorkflowType_IsInvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.WorkflowService.StartWorkflowExecutionAsync(
            new StartWorkflowExecutionRequest { Namespace = fixture.Server.Namespace, WorkflowId = "no-type", TaskQueue = new() { Name = "q" } }));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
        Assert.Contains("WorkflowType", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetHistory_ForeignPageToken_IsInvalidArgument()
    {
        var queue = ServerFixture.NewTaskQueue();
        var handle = await fixture.Client.StartWorkflowAsync((WaitForeverWorkflow w) => w.RunAsync(), new("token-" + queue, queue));
        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.WorkflowService.GetWorkflowExecutionHistoryAsync(new GetWorkflowExecutionHistoryRequest
        {
            Namespace = fixture.Server.Namespace,
            Execution = new() { WorkflowId = handle.Id },
            NextPageToken = ByteString.CopyFrom(0xFF, 0x00),
        }));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, ex.Code);
        await handle.TerminateAsync("test over");
    }

    [Fact]
    public async Task Describe_UnknownWorkflow_IsNotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetWorkflowHandle("never-started").DescribeAsync());
        Assert.Equal(RpcException.StatusCode.NotFound, ex.Code);
    }

    [Fact]
    public async Task Server_AfterBadRequests_StillServesWorkflows()
    {
        await Assert.ThrowsAnyAsync<RpcException>(() => fixture.Client.WorkflowService.RespondWorkflowTaskCompletedAsync(
            new RespondWorkflowTaskCompletedRequest { Namespace = fixture.Server.Namespace, TaskToken = ByteString.CopyFrom(1, 1, 200) }));
        await Assert.ThrowsAnyAsync<RpcException>(() => fixture.Client.WorkflowService.PollActivityTaskQueueAsync(
            new PollActivityTaskQueueRequest { Namespace = fixture.Server.Namespace }));
        var queue = ServerFixture.NewTaskQueue();
        await fixture.WithWorkerAsync(queue, o => o.AddWorkflow<EchoWorkflow>().AddAllActivities(new TestActivities()), async () =>
            Assert.Equal("still here", await fixture.Client.ExecuteWorkflowAsync((EchoWorkflow w) => w.RunAsync("still here"), new("after-bad-" + queue, queue))));
    }
}
