using Grpc.Core;
using MetaRewarding.InMemoryTemporal.Engine;
using Temporalio.Api.Enums.V1;

namespace MetaRewarding.InMemoryTemporal.Tests.Engine;

public sealed class VisibilityQueryTests
{
    private static readonly DateTimeOffset Started = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A workflow as the Web UI lists it: system attributes plus the project's two custom ones.</summary>
    private static Func<string, object?> Run(string type = "MetaRewardingIteration", string status = "Running", string? phase = "train", long iteration = 2, string? parent = "run-1") => name => name switch
    {
        "WorkflowType" => type,
        "WorkflowId" => "run-1-iteration-2",
        "ExecutionStatus" => status,
        "StartTime" => Started,
        "HistoryLength" => 42L,
        "ParentWorkflowId" => parent,
        "MetaRewardingPhase" => phase,
        "MetaRewardingIteration" => iteration,
        "BuildIds" => new List<string> { "a", "b" },
        _ => null,
    };

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
    // What the Web UI sends: its search attribute filters, status and type chips, date ranges, the children
    // toggle and the relationships view.
    [InlineData("MetaRewardingPhase = \"train\"", true)]
    [InlineData("MetaRewardingPhase = 'generate'", false)]
    [InlineData("`MetaRewardingPhase`=\"train\"", true)]
    [InlineData("WorkflowType = 'MetaRewardingIteration' AND MetaRewardingIteration = 2", true)]
    [InlineData("MetaRewardingIteration >= 3", false)]
    [InlineData("MetaRewardingIteration IN (1, 2)", true)]
    [InlineData("MetaRewardingIteration NOT IN (1, 2)", false)]
    [InlineData("MetaRewardingPhase STARTS_WITH \"tr\"", true)]
    [InlineData("ExecutionStatus = 'Completed' OR ExecutionStatus = 'Running'", true)]
    [InlineData("(ExecutionStatus = 'Completed' OR ExecutionStatus = 'Failed') AND WorkflowType = 'MetaRewardingIteration'", false)]
    [InlineData("NOT ExecutionStatus = 'Completed'", true)]
    [InlineData("ExecutionStatus != 'Running'", false)]
    [InlineData("StartTime BETWEEN \"2026-12-01T00:00:00Z\" AND \"2026-12-03T00:00:00+00:00\"", true)]
    [InlineData("StartTime > '2026-12-02T10:00:01Z'", false)]
    [InlineData("HistoryLength > 40", true)]
    [InlineData("ParentWorkflowId is NULL", false)]
    [InlineData("ParentWorkflowId IS NOT NULL", true)]
    [InlineData("CloseTime IS NULL", true)]
    [InlineData("ParentWorkflowId = \"run-1\" AND ParentRunId = \"r\"", false)]
    [InlineData("BuildIds = 'b'", true)]
    [InlineData("MetaRewardingPhase = 'train' ORDER BY StartTime DESC", true)]
    public void Matches_UiFilters_AsTemporalWould(string text, bool expected) =>
        Assert.Equal(expected, VisibilityQuery.Parse(text).Matches(Run()));

    [Fact]
    public void Parse_GroupByExecutionStatus_IsReportedForCounts()
    {
        var query = VisibilityQuery.Parse("WorkflowType = \"MetaRewardingRun\" GROUP BY ExecutionStatus");
        Assert.Equal("ExecutionStatus", query.GroupBy);
        Assert.True(query.Matches(Run(type: "MetaRewardingRun")));
        Assert.Equal("ExecutionStatus", VisibilityQuery.Parse("GROUP BY ExecutionStatus").GroupBy);
    }

    [Fact]
    public void Parse_OrderBy_IsReported()
    {
        var query = VisibilityQuery.Parse("ORDER BY CloseTime asc");
        Assert.Equal("CloseTime", query.OrderBy);
        Assert.False(query.OrderDescending);
    }

    [Fact]
    public void Attributes_ListsEveryNameUsed() =>
        Assert.Equal(["MetaRewardingPhase", "WorkflowType"], VisibilityQuery.Parse("MetaRewardingPhase = 'x' OR WorkflowType = 'y'").Attributes);

    [Theory]
    [InlineData("ExecutionStatus = 'Sleeping'", "unknown ExecutionStatus")]
    [InlineData("WorkflowType = 'unterminated", "not closed")]
    [InlineData("StartTime > 'yesterday'", "not a date and time")]
    [InlineData("HistoryLength > 'many'", "is an Int")]
    [InlineData("WorkflowType = ", "expected a value")]
    [InlineData("WorkflowType 'x'", "expected an operator")]
    [InlineData("(WorkflowType = 'x'", "expected ')'")]
    [InlineData("WorkflowType = 'x' AND", "expected a search attribute name")]
    [InlineData("WorkflowType = 'x' GROUP BY WorkflowType", "ExecutionStatus only")]
    [InlineData("WorkflowType = 'x' LIMIT 3", "expected AND, OR")]
    [InlineData("WorkflowType ! 'x'", "must be \"!=\"")]
    [InlineData("WorkflowType = 'x' ; drop", "unexpected character")]
    public void Parse_Malformed_ThrowsInvalidArgumentNamingTheProblem(string text, string problem)
    {
        var ex = Assert.Throws<RpcException>(() => VisibilityQuery.Parse(text));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains(problem, ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_ListAttributeWithOrdering_IsInvalidArgument()
    {
        var ex = Assert.Throws<RpcException>(() => VisibilityQuery.Parse("BuildIds > 'a'").Matches(Run()));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }
}
