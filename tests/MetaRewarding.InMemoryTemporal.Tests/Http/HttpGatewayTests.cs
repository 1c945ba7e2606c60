using System.Net;
using System.Text;
using System.Text.Json;
using MetaRewarding.InMemoryTemporal.Http;
using MetaRewarding.InMemoryTemporal.Tests.Support;
using Temporalio.Client;
using Temporalio.Worker;

namespace MetaRewarding.InMemoryTemporal.Tests.Http;

/// <summary>
/// The web side over real HTTP/1.1 (HttpClient against the server's UI port): Temporal's /api/v1 JSON mapping of
/// the same engine the SDK talks gRPC to, /api/v1/settings, the UI's files, and the error shape for bad input.
/// </summary>
public sealed class HttpGatewayTests : IAsyncLifetime, IDisposable
{
    private InMemoryTemporalServer? server;
    private TemporalClient? client;
    private readonly HttpClient http = new(new SocketsHttpHandler()) { DefaultRequestVersion = HttpVersion.Version11 };

    private InMemoryTemporalServer Server => server!;
    private TemporalClient Client => client!;

    public async Task InitializeAsync()
    {
        server = await InMemoryTemporalServer.StartAsync(new InMemoryTemporalServerOptions { UiPort = 0, LongPollTimeout = TimeSpan.FromSeconds(3) });
        client = await TemporalClient.ConnectAsync(new(server.Target) { Namespace = server.Namespace });
        http.BaseAddress = server.UiUrl;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task Settings_AuthOffDefaultNamespaceAndTheBundledUiVersion()
    {
        using var settings = await GetJsonAsync("api/v1/settings", HttpStatusCode.OK);

        Assert.False(settings.RootElement.GetProperty("Auth").GetProperty("Enabled").GetBoolean());
        Assert.Equal("default", settings.RootElement.GetProperty("DefaultNamespace").GetString());
        // Without a UI the version is empty; with one it is the package's, which must be >= 2.23 for single URL encoding.
        Assert.Equal(WebUiAssets.Embedded.Version, settings.RootElement.GetProperty("Version").GetString());
        Assert.Equal(HttpVersion.Version11, (await http.GetAsync(new Uri("api/v1/settings", UriKind.Relative))).Version);
    }

    [Fact]
    public async Task ClusterInfo_ReportsAServerVersionTheUiEnablesResetAndChildrenFor()
    {
        using var info = await GetJsonAsync("api/v1/cluster-info", HttpStatusCode.OK);

        var version = Version.Parse(info.RootElement.GetProperty("serverVersion").GetString()!);
        Assert.True(version >= new Version(1, 27, 1), $"the UI disables reset with pending children below 1.27.1; got {version}");
    }

    [Fact]
    public async Task Workflow_StartedOverGrpc_IsDescribedListedAndHistoricalOverHttpInProto3Json()
    {
        var queue = ServerFixture.NewTaskQueue();
        var handle = await Client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new("http-" + queue, queue));
        var id = Uri.EscapeDataString(handle.Id);

        using var described = await GetJsonAsync($"api/v1/namespaces/default/workflows/{id}?execution.runId={handle.ResultRunId}", HttpStatusCode.OK);
        var info = described.RootElement.GetProperty("workflowExecutionInfo");
        Assert.Equal("WORKFLOW_EXECUTION_STATUS_RUNNING", info.GetProperty("status").GetString());
        Assert.Equal("SignalQueryWorkflow", info.GetProperty("type").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.String, info.GetProperty("historyLength").ValueKind); // int64 as a string, as protojson writes it

        using var listed = await GetJsonAsync($"api/v1/namespaces/default/workflows?query={Uri.EscapeDataString($"WorkflowId = \"{handle.Id}\" AND ExecutionStatus = \"Running\"")}", HttpStatusCode.OK);
        Assert.Equal(handle.Id, Assert.Single(listed.RootElement.GetProperty("executions").EnumerateArray()).GetProperty("execution").GetProperty("workflowId").GetString());

        using var counted = await GetJsonAsync($"api/v1/namespaces/default/workflow-count?query={Uri.EscapeDataString($"WorkflowId = '{handle.Id}' GROUP BY ExecutionStatus")}", HttpStatusCode.OK);
        Assert.Equal("1", counted.RootElement.GetProperty("count").GetString());
        var group = Assert.Single(counted.RootElement.GetProperty("groups").EnumerateArray());
        Assert.Equal("\"Running\"", Encoding.UTF8.GetString(Convert.FromBase64String(group.GetProperty("groupValues")[0].GetProperty("data").GetString()!)));

        using var history = await GetJsonAsync($"api/v1/namespaces/default/workflows/{id}/history?execution.runId={handle.ResultRunId}", HttpStatusCode.OK);
        Assert.Equal("EVENT_TYPE_WORKFLOW_EXECUTION_STARTED", history.RootElement.GetProperty("history").GetProperty("events")[0].GetProperty("eventType").GetString());

        using var reverse = await GetJsonAsync($"api/v1/namespaces/default/workflows/{id}/history-reverse?execution.runId={handle.ResultRunId}", HttpStatusCode.OK);
        var newestFirst = reverse.RootElement.GetProperty("history").GetProperty("events").EnumerateArray().Select(e => long.Parse(e.GetProperty("eventId").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(newestFirst.OrderByDescending(x => x), newestFirst);
        Assert.Equal(1, newestFirst[^1]);
    }

    [Fact]
    public async Task Post_SignalQueryAndTerminate_ReachTheWorkflowThroughTheEngine()
    {
        var queue = ServerFixture.NewTaskQueue();
        using var worker = new TemporalWorker(Client, new TemporalWorkerOptions(queue) { GracefulShutdownTimeout = TimeSpan.Zero }.AddWorkflow<SignalQueryWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await Client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new("post-" + queue, queue));
            var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes("\"from-http\""));
            var input = $$"""{"payloads":[{"metadata":{"encoding":"{{Convert.ToBase64String("json/plain"u8.ToArray())}}"},"data":"{{payload}}"}]}""";
            using (var signalled = await PostAsync($"api/v1/namespaces/default/workflows/{handle.Id}/signal/Add", "{\"workflowExecution\":{\"runId\":\"" + handle.ResultRunId + "\"},\"input\":" + input + "}"))
            {
                Assert.Equal(HttpStatusCode.OK, signalled.StatusCode);
            }
            using (var queried = await PostAsync($"api/v1/namespaces/default/workflows/{handle.Id}/query/Status", "{\"execution\":{\"runId\":\"" + handle.ResultRunId + "\"}}"))
            {
                var body = await queried.Content.ReadAsStringAsync();
                Assert.True(queried.StatusCode == HttpStatusCode.OK, body);
                using var json = JsonDocument.Parse(body);
                var result = json.RootElement.GetProperty("queryResult").GetProperty("payloads")[0].GetProperty("data").GetString()!;
                Assert.Equal("\"1 items\"", Encoding.UTF8.GetString(Convert.FromBase64String(result)));
            }
            using (var terminated = await PostAsync($"api/v1/namespaces/default/workflows/{handle.Id}/terminate", """{"reason":"from the UI"}"""))
            {
                Assert.Equal(HttpStatusCode.OK, terminated.StatusCode);
            }
            Assert.Equal(Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Terminated, (await handle.DescribeAsync()).Status);
        });
    }

    [Fact]
    public async Task DescribeTaskQueue_ListsThePollingWorker()
    {
        var queue = ServerFixture.NewTaskQueue();
        using var worker = new TemporalWorker(Client, new TemporalWorkerOptions(queue) { GracefulShutdownTimeout = TimeSpan.Zero, Identity = "ui-test-worker" }.AddWorkflow<SignalQueryWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            JsonDocument? described = null;
            for (var attempt = 0; attempt < 100; attempt++)
            {
                described?.Dispose();
                described = await GetJsonAsync($"api/v1/namespaces/default/task-queues/{queue}?taskQueueType=1", HttpStatusCode.OK);
                if (described.RootElement.TryGetProperty("pollers", out _))
                {
                    break;
                }
                await Task.Delay(100);
            }
            using (described)
            {
                Assert.Equal("ui-test-worker", Assert.Single(described!.RootElement.GetProperty("pollers").EnumerateArray()).GetProperty("identity").GetString());
            }
        });
    }

    [Theory]
    [InlineData("GET", "api/v1/namespaces/nope/workflows", null, 404, 5, "Namespace nope is not found")]
    [InlineData("GET", "api/v1/namespaces/default/workflows/no-such-workflow", null, 404, 5, "workflow execution not found")]
    [InlineData("GET", "api/v1/namespaces/default/workflows?query=WorkflowType%20%3D", null, 400, 3, "expected a value")]
    [InlineData("GET", "api/v1/namespaces/default/workflows?query=NoSuchAttribute%3D%27x%27", null, 400, 3, "unknown search attribute NoSuchAttribute")]
    [InlineData("GET", "api/v1/namespaces/default/workflows?pageSize=many", null, 400, 3, "parameter pageSize")]
    [InlineData("POST", "api/v1/namespaces/default/workflows/w/terminate", "{not json", 400, 3, "malformed request")]
    [InlineData("POST", "api/v1/namespaces/default/workflows/w/terminate", "{\"noSuchField\": 1}", 400, 3, "noSuchField")]
    [InlineData("DELETE", "api/v1/namespaces/default/workflows/w/terminate", null, 405, 12, "Method Not Allowed")]
    [InlineData("GET", "api/v1/no/such/route", null, 404, 5, "no Temporal API method")]
    [InlineData("GET", "api/v1/namespaces/default/schedules", null, 501, 12, "ListSchedules is not implemented")]
    public async Task BadInput_IsTemporalsErrorShapeWithA4xxOrNotImplemented(string verb, string path, string? body, int status, int code, string message)
    {
        using var request = new HttpRequestMessage(new HttpMethod(verb), path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var error = JsonDocument.Parse(text);
        Assert.Equal(code, error.RootElement.GetProperty("code").GetInt32());
        Assert.Contains(message, error.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, error.RootElement.GetProperty("details").ValueKind);
    }

    [Fact]
    public async Task UnknownWorkflow_CarriesTheTypedNotFoundDetail()
    {
        using var error = await GetJsonAsync("api/v1/namespaces/default/workflows/missing", HttpStatusCode.NotFound);
        Assert.Equal("type.googleapis.com/temporal.api.errordetails.v1.NotFoundFailure", error.RootElement.GetProperty("details")[0].GetProperty("@type").GetString());
    }

    [Fact]
    public async Task Pages_AreTheSinglePageAppOrSayWhyTheUiIsMissing()
    {
        using var page = await http.GetAsync(new Uri("namespaces/default/workflows/some-id/some-run/history", UriKind.Relative));
        var text = await page.Content.ReadAsStringAsync();
        if (WebUiAssets.Embedded.Available)
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("/_app/immutable/", text, StringComparison.Ordinal);
            using var missingAsset = await http.GetAsync(new Uri("_app/immutable/no-such-file.js", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, missingAsset.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Contains(WebUiAssets.Embedded.UnavailableReason!, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UiPortInUse_IsAClearStartupError()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            InMemoryTemporalServer.StartAsync(new InMemoryTemporalServerOptions { UiPort = Server.UiUrl!.Port }));
        Assert.Contains($"Could not listen on localhost:{Server.UiUrl!.Port} for the Temporal Web UI", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--ui-port", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Routes_CoverEveryMethodTheUiViewsCall()
    {
        var gateway = new GatewayRouteTable(
        [
            (Temporalio.Api.WorkflowService.V1.ServiceReflection.Descriptor.Services.Single(s => s.Name == "WorkflowService"), new NullDispatcher()),
            (Temporalio.Api.OperatorService.V1.ServiceReflection.Descriptor.Services.Single(s => s.Name == "OperatorService"), new NullDispatcher()),
        ]);
        var methods = gateway.Routes.Select(r => r.MethodName).ToHashSet();
        string[] used =
        [
            "WorkflowService.GetClusterInfo", "WorkflowService.GetSystemInfo", "WorkflowService.ListNamespaces", "WorkflowService.DescribeNamespace",
            "WorkflowService.ListWorkflowExecutions", "WorkflowService.CountWorkflowExecutions", "WorkflowService.DescribeWorkflowExecution",
            "WorkflowService.GetWorkflowExecutionHistory", "WorkflowService.GetWorkflowExecutionHistoryReverse", "WorkflowService.QueryWorkflow",
            "WorkflowService.DescribeTaskQueue", "WorkflowService.ResetWorkflowExecution", "WorkflowService.SignalWorkflowExecution",
            "WorkflowService.TerminateWorkflowExecution", "WorkflowService.RequestCancelWorkflowExecution", "OperatorService.ListSearchAttributes",
        ];
        Assert.All(used, m => Assert.Contains(m, methods));
        Assert.All(gateway.Routes, r => Assert.StartsWith("/api/v1/", r.Path.Text, StringComparison.Ordinal));
    }

    private sealed class NullDispatcher : InMemoryTemporal.Grpc.IServiceDispatcher
    {
        public Task<object?> DispatchAsync(object request, CancellationToken cancel) => Task.FromResult<object?>(null);
    }

    private async Task<JsonDocument> GetJsonAsync(string path, HttpStatusCode expected)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
}
