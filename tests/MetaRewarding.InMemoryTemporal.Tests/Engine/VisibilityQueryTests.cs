using Grpc.Core;
using MetaRewarding.InMemoryTemporal.Engine;
using Temporalio.Api.Enums.V1;

namespace MetaRewarding.InMemoryTemporal.Tests.Engine;

public sealed class VisibilityQueryTests
{
    [Fact]
    public void Parse_TypeAndStatusJoinedWithAnd_MatchesOnlyBoth()
    {
        var query = VisibilityQuery.Parse("WorkflowType = 'Train' and ExecutionStatus = \"Running\"");
        Assert.True(query.Matches("Train", "a", WorkflowExecutionStatus.Running));
        Assert.False(query.Matches("Train", "a", WorkflowExecutionStatus.Completed));
        Assert.False(query.Matches("Eval", "a", WorkflowExecutionStatus.Running));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Parse_Empty_MatchesEverything(string? text) =>
        Assert.True(VisibilityQuery.Parse(text).Matches("Any", "id", WorkflowExecutionStatus.Terminated));

    [Theory]
    [InlineData("WorkflowType = 'A' OR WorkflowType = 'B'")]
    [InlineData("StartTime > '2020-01-01'")]
    [InlineData("ExecutionStatus = 'Sleeping'")]
    [InlineData("Phase = 'training'")]
    [InlineData("WorkflowType = 'unterminated")]
    public void Parse_UnsupportedForm_ThrowsInvalidArgument(string text)
    {
        var ex = Assert.Throws<RpcException>(() => VisibilityQuery.Parse(text));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }
}
