using Temporalio.Api.Enums.V1;
using Temporalio.Api.Namespace.V1;
using Temporalio.Api.WorkflowService.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>Requests from clients (SDK client, CLI): start, signal, signal-with-start, cancel, terminate, namespace and system info.</summary>
internal sealed partial class TemporalEngine
{
    public StartWorkflowExecutionResponse Start(StartWorkflowExecutionRequest request)
    {
        RequireNamespace(request.Namespace);
        PayloadLimits.Require(request.Input, "the workflow input");
        var result = StartRun(FromRequest(request));
        return new StartWorkflowExecutionResponse { RunId = result.Run.RunId, Started = result.Started };
    }

    public SignalWithStartWorkflowExecutionResponse SignalWithStart(SignalWithStartWorkflowExecutionRequest request)
    {
        RequireNamespace(request.Namespace);
        if (string.IsNullOrEmpty(request.SignalName))
        {
            throw ServerErrors.InvalidArgument("SignalWithStartWorkflowExecution: SignalName is not set.");
        }
        PayloadLimits.Require(request.Input, "the workflow input");
        PayloadLimits.Require(request.SignalInput, $"the input of signal '{request.SignalName}'");
        if (TryFindRun(request.Namespace, new() { WorkflowId = request.WorkflowId }) is { IsOpen: true } running
            && Signal(running, request.SignalName, request.SignalInput, request.Header, request.Identity, null))
        {
            return new SignalWithStartWorkflowExecutionResponse { RunId = running.RunId, Started = false };
        }
        var parameters = FromRequest(new StartWorkflowExecutionRequest
        {
            Namespace = request.Namespace, WorkflowId = request.WorkflowId, WorkflowType = request.WorkflowType, TaskQueue = request.TaskQueue,
            Input = request.Input, WorkflowExecutionTimeout = request.WorkflowExecutionTimeout, WorkflowRunTimeout = request.WorkflowRunTimeout,
            WorkflowTaskTimeout = request.WorkflowTaskTimeout, Identity = request.Identity, RequestId = request.RequestId,
            WorkflowIdReusePolicy = request.WorkflowIdReusePolicy, WorkflowIdConflictPolicy = WorkflowIdConflictPolicy.UseExisting,
            RetryPolicy = request.RetryPolicy, Memo = request.Memo, SearchAttributes = request.SearchAttributes, Header = request.Header,
            WorkflowStartDelay = request.WorkflowStartDelay,
        }) with { Signal = (request.SignalName, request.SignalInput, request.Header) };
        var result = StartRun(parameters);
        if (!result.Started)
        {
            // Another start won the race: signal the run it started.
            Signal(result.Run, request.SignalName, request.SignalInput, request.Header, request.Identity, null);
        }
        return new SignalWithStartWorkflowExecutionResponse { RunId = result.Run.RunId, Started = result.Started };
    }

    private static StartParameters FromRequest(StartWorkflowExecutionRequest request) => new()
    {
        Namespace = request.Namespace,
        WorkflowId = request.WorkflowId,
        WorkflowType = request.WorkflowType?.Name ?? "",
        TaskQueue = request.TaskQueue?.Name ?? "",
        Input = request.Input,
        Header = request.Header,
        ExecutionTimeout = request.WorkflowExecutionTimeout,
        RunTimeout = request.WorkflowRunTimeout,
        TaskTimeout = request.WorkflowTaskTimeout,
        Identity = request.Identity,
        RequestId = request.RequestId,
        ReusePolicy = request.WorkflowIdReusePolicy,
        ConflictPolicy = request.WorkflowIdConflictPolicy,
        RetryPolicy = request.RetryPolicy,
        Memo = request.Memo,
        SearchAttributes = request.SearchAttributes,
        StartDelay = request.WorkflowStartDelay?.ToTimeSpan() ?? TimeSpan.Zero,
    };

    public SignalWorkflowExecutionResponse Signal(SignalWorkflowExecutionRequest request)
    {
        var run = FindRun(request.Namespace, request.WorkflowExecution);
        if (string.IsNullOrEmpty(request.SignalName))
        {
            throw ServerErrors.InvalidArgument("SignalWorkflowExecution: SignalName is not set.");
        }
        PayloadLimits.Require(request.Input, $"the input of signal '{request.SignalName}'");
        return Signal(run, request.SignalName, request.Input, request.Header, request.Identity, null)
            ? new SignalWorkflowExecutionResponse()
            : throw ServerErrors.WorkflowAlreadyClosed(run.WorkflowId);
    }

    public RequestCancelWorkflowExecutionResponse RequestCancel(RequestCancelWorkflowExecutionRequest request)
    {
        // A request for a run that already closed is a successful no-op, as on the real server (the SDK's
        // cancel-after-complete scenarios expect no error).
        var run = FindRun(request.Namespace, request.WorkflowExecution);
        RequestCancel(run, request.Reason, request.Identity, null, 0);
        return new RequestCancelWorkflowExecutionResponse();
    }

    public TerminateWorkflowExecutionResponse Terminate(TerminateWorkflowExecutionRequest request)
    {
        var run = FindRun(request.Namespace, request.WorkflowExecution);
        Terminate(run, request.Reason, request.Identity, request.Details);
        return new TerminateWorkflowExecutionResponse();
    }

    public DescribeNamespaceResponse DescribeNamespace(DescribeNamespaceRequest request)
    {
        if (!string.IsNullOrEmpty(request.Id) && string.IsNullOrEmpty(request.Namespace))
        {
            return request.Id == NamespaceId ? NamespaceDescription() : throw ServerErrors.NamespaceNotFound(request.Id);
        }
        RequireNamespace(request.Namespace);
        return NamespaceDescription();
    }

    public ListNamespacesResponse ListNamespaces()
    {
        var description = NamespaceDescription();
        return new ListNamespacesResponse
        {
            Namespaces =
            {
                new DescribeNamespaceResponse { NamespaceInfo = description.NamespaceInfo, Config = description.Config },
            },
        };
    }

    private string NamespaceId => "in-memory-" + Namespace;

    private DescribeNamespaceResponse NamespaceDescription() => new()
    {
        NamespaceInfo = new NamespaceInfo
        {
            Name = Namespace,
            Id = NamespaceId,
            State = NamespaceState.Registered,
            Description = "in-memory namespace (not durable)",
        },
        Config = new NamespaceConfig
        {
            WorkflowExecutionRetentionTtl = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromDays(1)),
        },
    };

    public static GetSystemInfoResponse SystemInfo() => new()
    {
        ServerVersion = CompatibleServerVersion,
        Capabilities = new()
        {
            // SdkMetadata: the SDK's core records its flags in WorkflowTaskCompleted only when the server says it keeps them.
            SdkMetadata = true,
            SignalAndQueryHeader = true,
            InternalErrorDifferentiation = true,
            ActivityFailureIncludeHeartbeat = true,
            EncodedFailureAttributes = true,
            UpsertMemo = true,
            EagerWorkflowStart = false,
            SupportsSchedules = false,
        },
    };
}
