using MetaRewarding.Activities.Contracts;
using Microsoft.Extensions.Logging;
using Temporalio.Activities;
using Temporalio.Client;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// Sends <see cref="TrainingProgress"/> to the workflow that scheduled the training activity (signal
/// <see cref="WorkflowNames.TrainingProgressSignal"/>), at most once per interval and best effort: a failed signal is logged, never fatal —
/// training matters, the progress display does not. Outside an activity, or without a client, it only counts.
/// </summary>
public sealed class TrainingSignals
{
    private readonly ActivityExecutionContext? context;
    private readonly TimeSpan interval;
    private DateTime lastSent = DateTime.MinValue;
    private TrainingProgress? pending;
    private bool clientMissingLogged;

    public TrainingSignals(TimeSpan interval)
    {
        this.interval = interval;
        context = ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current : null;
    }

    /// <summary>Signals sent (or attempted).</summary>
    public int Sent { get; private set; }

    /// <summary>Records <paramref name="progress"/>, signalling it when the interval has passed since the last signal.</summary>
    public void Report(TrainingProgress progress)
    {
        pending = progress;
        if (DateTime.UtcNow - lastSent >= interval)
        {
            Flush();
        }
    }

    /// <summary>Signals the latest unsent progress now (the last step should always reach the workflow).</summary>
    public void Flush()
    {
        if (pending is not { } progress)
        {
            return;
        }

        pending = null;
        lastSent = DateTime.UtcNow;
        Sent++;
        if (context is null)
        {
            return;
        }

        ITemporalClient client;
        try
        {
            client = context.TemporalClient;
        }
#pragma warning disable CA1031 // The test environment throws when no client was given; any failure here only loses a progress display.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (!clientMissingLogged)
            {
                clientMissingLogged = true;
                LogNoClient(context.Logger, e);
            }

            return;
        }

        if (context.Info.WorkflowId is not { } workflowId)
        {
            return;
        }

        var logger = context.Logger;
        _ = SendAsync(client, workflowId, progress, logger);
    }

    private static async Task SendAsync(ITemporalClient client, string workflowId, TrainingProgress progress, ILogger logger)
    {
        try
        {
            await client.GetWorkflowHandle(workflowId).SignalAsync(WorkflowNames.TrainingProgressSignal, [progress]);
        }
#pragma warning disable CA1031 // Best effort by design: a lost progress signal must never fail the training.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogSignalFailed(logger, workflowId, progress.Step, e);
        }
    }

    private static readonly Action<ILogger, Exception?> LogNoClient = LoggerMessage.Define(
        LogLevel.Warning, new EventId(1, "NoTemporalClient"), "No Temporal client in this activity context: training progress is not signalled to the workflow");

    private static readonly Action<ILogger, string, long, Exception?> LogSignalFailed = LoggerMessage.Define<string, long>(
        LogLevel.Warning, new EventId(2, "TrainingSignalFailed"), "Training progress signal to workflow {WorkflowId} failed (step {Step}); training goes on");
}
