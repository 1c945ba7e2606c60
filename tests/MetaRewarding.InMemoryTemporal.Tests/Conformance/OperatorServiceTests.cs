using MetaRewarding.InMemoryTemporal.Tests.Support;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Exceptions;

namespace MetaRewarding.InMemoryTemporal.Tests.Conformance;

public sealed class OperatorServiceTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task AddSearchAttributes_NewName_IsListedAndSecondAddIsAlreadyExists()
    {
        var operators = fixture.Client.Connection.OperatorService;
        var add = new AddSearchAttributesRequest { Namespace = fixture.Server.Namespace, SearchAttributes = { ["MetaRewardingPhase"] = IndexedValueType.Keyword } };
        await operators.AddSearchAttributesAsync(add);
        var listed = await operators.ListSearchAttributesAsync(new ListSearchAttributesRequest { Namespace = fixture.Server.Namespace });
        Assert.Equal(IndexedValueType.Keyword, listed.CustomAttributes["MetaRewardingPhase"]);
        Assert.Equal(IndexedValueType.Keyword, listed.SystemAttributes["WorkflowType"]);
        var again = await Assert.ThrowsAsync<RpcException>(() => operators.AddSearchAttributesAsync(add));
        Assert.Equal(RpcException.StatusCode.AlreadyExists, again.Code);
    }

    [Fact]
    public async Task OperatorService_UnimplementedMethod_AnswersUnimplemented()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.Client.Connection.OperatorService.ListClustersAsync(new ListClustersRequest()));
        Assert.Equal(RpcException.StatusCode.Unimplemented, ex.Code);
        Assert.Contains("OperatorService.ListClusters", ex.Message, StringComparison.Ordinal);
    }
}
