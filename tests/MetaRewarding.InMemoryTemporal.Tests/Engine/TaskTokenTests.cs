using Google.Protobuf;
using Grpc.Core;
using MetaRewarding.InMemoryTemporal.Engine;

namespace MetaRewarding.InMemoryTemporal.Tests.Engine;

public sealed class TaskTokenTests
{
    [Fact]
    public void Parse_TokenItIssued_RoundTrips()
    {
        var token = new TaskToken(TaskTokenKind.Activity, "run|with|bars", 42, 3);
        Assert.Equal(token, TaskToken.Parse(token.ToByteString(), TaskTokenKind.Activity));
    }

    [Fact]
    public void Parse_TokenOfOtherKind_ThrowsInvalidArgument()
    {
        var token = new TaskToken(TaskTokenKind.WorkflowTask, "run", 1, 2).ToByteString();
        var ex = Assert.Throws<RpcException>(() => TaskToken.Parse(token, TaskTokenKind.Activity));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1 })]
    [InlineData(new byte[] { 9, 9, 9 })]
    [InlineData(new byte[] { 1, 3, 200 })]
    public void Parse_Garbage_ThrowsInvalidArgument(byte[] bytes)
    {
        var ex = Assert.Throws<RpcException>(() => TaskToken.Parse(ByteString.CopyFrom(bytes), TaskTokenKind.Activity));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }
}
