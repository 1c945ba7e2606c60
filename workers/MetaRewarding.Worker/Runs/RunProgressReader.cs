using MetaRewarding.Activities.Contracts;
using MetaRewarding.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace MetaRewarding.Worker.Runs;

/// <summary>A snapshot of a run for <c>status</c>: its status, its progress query and its current iteration child's.</summary>
public sealed record RunProgressSnapshot(WorkflowExecutionStatus Status, Progress? Run, Progress? Iteration)
{
    public bool IsRunning => Status == WorkflowExecutionStatus.Running;

    public string StatusText => Status.ToString().ToUpperInvariant();
}

/// <summary>Reads a run's progress through its <c>progress</c> queries (the run's and its current iteration's).</summary>
public static class RunProgressReader
{
    /// <summary>How long a query may wait: with no worker on the CPU queue a query never gets an answer.</summary>
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    public static async Task<RunProgressSnapshot> ReadAsync(ITemporalClient client, string workflowId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        var run = client.GetWorkflowHandle<RunWorkflow>(workflowId);
        var description = await run.DescribeAsync(new WorkflowDescribeOptions { Rpc = new RpcOptions { CancellationToken = ct } });
        var status = description.Status;
        var progress = await QueryAsync(client, workflowId, ct);
        Progress? iteration = null;
        if (progress is { Iteration: > 0 } && progress.Phase == Phases.Iterating)
        {
            iteration = await QueryAsync(client, WorkflowNames.IterationWorkflowId(workflowId, progress.Iteration), ct);
        }

        return new RunProgressSnapshot(status, progress, iteration);
    }

    /// <summary>The progress query's answer, or null when nobody can answer it (no worker, the child not started yet).</summary>
    private static async Task<Progress?> QueryAsync(ITemporalClient client, string workflowId, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(QueryTimeout);
        try
        {
            return await client.GetWorkflowHandle(workflowId).QueryAsync<Progress>(
                WorkflowNames.ProgressQuery, [], new WorkflowQueryOptions { Rpc = new RpcOptions { CancellationToken = timeout.Token } });
        }
        catch (Exception e) when (e is RpcException or WorkflowQueryFailedException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The run's result; throws <see cref="WorkflowFailedException"/> when it failed.</summary>
    public static Task<RunSummary> ResultAsync(ITemporalClient client, string workflowId) =>
        client.GetWorkflowHandle<RunWorkflow, RunSummary>(workflowId).GetResultAsync();
}
