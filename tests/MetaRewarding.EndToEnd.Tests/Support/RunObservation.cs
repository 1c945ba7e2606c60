using MetaRewarding.Activities.Contracts;
using MetaRewarding.Workflows;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace MetaRewarding.EndToEnd.Tests.Support;

/// <summary>
/// Starts a run and, until it closes, asks the run's and the current iteration's <c>progress</c> query a few times
/// a second, as <c>metarewarding status</c> would: what was answered is kept for the assertions.
/// </summary>
public sealed class RunObservation
{
    public List<Progress> RunProgress { get; } = [];

    public List<Progress> IterationProgress { get; } = [];

    public required RunSummary Summary { get; init; }

    /// <summary>
    /// Runs <paramref name="input"/> to its end; <paramref name="onProgress"/> sees each iteration answer (a crash
    /// test kills its worker from there).
    /// </summary>
    public static async Task<RunObservation> RunAsync(ITemporalClient client, RunInput input, TimeSpan limit, Func<Progress, Task>? onProgress = null)
    {
        var handle = await Worker.Runs.RunStarter.StartAsync(client, input);
        var runProgress = new List<Progress>();
        var iterationProgress = new List<Progress>();
        using var timeout = new CancellationTokenSource(limit);
        // Status by describe rather than one long GetResultAsync: the in-process server does not end an idle
        // long poll for the close event, so the client's RPC timeout (about a minute) would fail a longer run.
        while ((await handle.DescribeAsync()).Status == Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Running)
        {
            timeout.Token.ThrowIfCancellationRequested();
            var run = await TryQueryAsync(client.GetWorkflowHandle(input.RunId));
            if (run is not null)
            {
                runProgress.Add(run);
                if (run.Iteration > 0 && run.Phase == Phases.Iterating)
                {
                    var iteration = await TryQueryAsync(client.GetWorkflowHandle(WorkflowNames.IterationWorkflowId(input.RunId, run.Iteration)));
                    if (iteration is not null)
                    {
                        iterationProgress.Add(iteration);
                        if (onProgress is not null)
                        {
                            await onProgress(iteration);
                        }
                    }
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }

        var observation = new RunObservation { Summary = await handle.GetResultAsync() };
        observation.RunProgress.AddRange(runProgress);
        observation.IterationProgress.AddRange(iterationProgress);
        return observation;
    }

    /// <summary>The progress query's answer; null while the workflow does not exist yet or no worker can answer (one was killed).</summary>
    private static async Task<Progress?> TryQueryAsync(WorkflowHandle handle)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return await handle.QueryAsync<Progress>(WorkflowNames.ProgressQuery, [], new WorkflowQueryOptions { Rpc = new() { CancellationToken = cts.Token } });
        }
        catch (Exception e) when (e is RpcException or WorkflowQueryFailedException or OperationCanceledException)
        {
            return null;
        }
    }
}
