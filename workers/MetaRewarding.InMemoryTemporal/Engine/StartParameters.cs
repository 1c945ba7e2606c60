using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>Everything needed to start a run, whoever asks: a client, a parent, or continue-as-new.</summary>
internal sealed record StartParameters
{
    public required string Namespace { get; init; }
    public required string WorkflowId { get; init; }
    public required string WorkflowType { get; init; }
    public required string TaskQueue { get; init; }
    public Payloads? Input { get; init; }
    public Header? Header { get; init; }
    public Duration? ExecutionTimeout { get; init; }
    public Duration? RunTimeout { get; init; }
    public Duration? TaskTimeout { get; init; }
    public string Identity { get; init; } = "";
    public string RequestId { get; init; } = "";
    public WorkflowIdReusePolicy ReusePolicy { get; init; }
    public WorkflowIdConflictPolicy ConflictPolicy { get; init; }
    public RetryPolicy? RetryPolicy { get; init; }

    /// <summary>The workflow's attempt under its own retry policy (1 unless this run retries a failed one).</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>How long the first workflow task waits: a start delay, or a retry's backoff.</summary>
    public TimeSpan StartDelay { get; init; }
    public Memo? Memo { get; init; }
    public SearchAttributes? SearchAttributes { get; init; }

    // Child workflows.
    public string? ParentNamespace { get; init; }
    public WorkflowExecution? ParentExecution { get; init; }
    public long ParentInitiatedEventId { get; init; }

    // Continue-as-new: the new run id is chosen when the old run closes (its close event names it).
    public string? RunId { get; init; }
    public string? ContinuedFromRunId { get; init; }
    public string? FirstRunId { get; init; }
    public ContinueAsNewInitiator Initiator { get; init; }
    public Failure? ContinuedFailure { get; init; }
    public Payloads? LastCompletionResult { get; init; }

    /// <summary>Signal-with-start: the signal written right after the started event.</summary>
    public (string Name, Payloads? Input, Header? Header)? Signal { get; init; }
}
