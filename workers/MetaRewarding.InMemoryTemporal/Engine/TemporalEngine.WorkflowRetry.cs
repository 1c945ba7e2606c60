using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// A workflow's own retry policy (set on its start): a run that fails or times out is followed by a new run of the
/// same workflow id with the next attempt number, after the policy's backoff, as on the real server. The failed run's
/// close event names the new run, so clients following the chain (GetResultAsync) wait for the last one.
/// </summary>
internal sealed partial class TemporalEngine
{
    /// <summary>Closes the run as failed, or as failed-and-retried when its retry policy allows another attempt.</summary>
    private void FailRun(WorkflowRun run, Failure? failure, long completedEventId)
    {
        var retry = DecideWorkflowRetry(run, failure);
        CloseRun(run, WorkflowExecutionStatus.Failed, EventType.WorkflowExecutionFailed, e => e.WorkflowExecutionFailedEventAttributes = new()
        {
            Failure = failure,
            RetryState = retry.State,
            WorkflowTaskCompletedEventId = completedEventId,
            NewExecutionRunId = retry.NewRunId ?? "",
        });
        StartRetry(run, retry, failure);
    }

    /// <summary>Closes the run as timed out, or retries it like a failure when its retry policy allows.</summary>
    private void TimeOutRun(WorkflowRun run)
    {
        var retry = DecideWorkflowRetry(run, failure: null);
        CloseRun(run, WorkflowExecutionStatus.TimedOut, EventType.WorkflowExecutionTimedOut, e => e.WorkflowExecutionTimedOutEventAttributes = new()
        {
            RetryState = retry.NewRunId is null ? RetryState.Timeout : RetryState.InProgress,
            NewExecutionRunId = retry.NewRunId ?? "",
        });
        StartRetry(run, retry, new Failure { Message = "workflow run timed out", TimeoutFailureInfo = new() { TimeoutType = TimeoutType.StartToClose } });
    }

    private sealed record WorkflowRetry(RetryState State, string? NewRunId, TimeSpan Delay);

    private WorkflowRetry DecideWorkflowRetry(WorkflowRun run, Failure? failure)
    {
        if (run.RetryPolicy is null)
        {
            return new WorkflowRetry(RetryState.RetryPolicyNotSet, null, TimeSpan.Zero);
        }
        DateTimeOffset? deadline = run.ExecutionTimeout is { } timeout ? run.StartTime.ToDateTimeOffset() + timeout.ToTimeSpan() : null;
        var decision = RetryDecision.Decide(run.RetryPolicy, run.Attempt, failure, Now, deadline);
        if (!decision.Retry)
        {
            return new WorkflowRetry(decision.State, null, TimeSpan.Zero);
        }
        var newRunId = Guid.NewGuid().ToString();
        ExpectSuccessor(newRunId);
        return new WorkflowRetry(RetryState.InProgress, newRunId, decision.Delay);
    }

    private void StartRetry(WorkflowRun run, WorkflowRetry retry, Failure? failure)
    {
        if (retry.NewRunId is null)
        {
            return;
        }
        var parameters = RetryParameters(run, run.History[0].WorkflowExecutionStartedEventAttributes, retry.NewRunId, retry.Delay, failure);
        run.AddEffect(() => StartRun(parameters));
    }

    /// <summary>The next attempt's start: the same input and settings, the next attempt number, the backoff as start delay.</summary>
    private static StartParameters RetryParameters(WorkflowRun run, WorkflowExecutionStartedEventAttributes started, string newRunId, TimeSpan delay, Failure? failure) => new()
    {
        Namespace = run.Namespace,
        WorkflowId = run.WorkflowId,
        WorkflowType = run.WorkflowType,
        TaskQueue = run.TaskQueue,
        Input = started.Input,
        Header = started.Header,
        ExecutionTimeout = run.ExecutionTimeout,
        RunTimeout = run.RunTimeout,
        TaskTimeout = run.WorkflowTaskTimeout,
        Identity = started.Identity,
        RetryPolicy = run.RetryPolicy,
        Attempt = run.Attempt + 1,
        StartDelay = delay,
        Memo = run.Memo.Clone(),
        SearchAttributes = run.SearchAttributes.Clone(),
        ParentNamespace = run.ParentNamespace,
        ParentExecution = run.ParentExecution,
        ParentInitiatedEventId = run.ParentInitiatedEventId,
        RunId = newRunId,
        ContinuedFromRunId = run.RunId,
        FirstRunId = run.FirstRunId,
        Initiator = ContinueAsNewInitiator.Retry,
        ContinuedFailure = failure,
    };
}
