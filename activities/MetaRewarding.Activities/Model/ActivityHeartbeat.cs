using Temporalio.Activities;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// Heartbeats the current activity every interval with the latest progress details, from a background timer, so
/// a long model load or a slow batch never looks like a dead worker; the work thread only calls
/// <see cref="Report"/>. A heartbeat is sent at once on start and a last one on dispose. Without an activity
/// context (a plain unit test) it does nothing.
/// </summary>
public sealed class ActivityHeartbeat : IDisposable
{
    private readonly ActivityExecutionContext? context;
    private readonly Timer? timer;
    private readonly Lock gate = new();
    private object details;
    private bool disposed;

    public ActivityHeartbeat(TimeSpan interval, object initialDetails)
    {
        ArgumentNullException.ThrowIfNull(initialDetails);
        details = initialDetails;
        context = ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current : null;
        if (context is not null)
        {
            Send();
            timer = new Timer(_ => Send(), null, interval, interval);
        }
    }

    /// <summary>The cancellation token of the activity (none outside one).</summary>
    public CancellationToken CancellationToken => context?.CancellationToken ?? CancellationToken.None;

    /// <summary>Replaces the details the next heartbeat carries.</summary>
    public void Report(object progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        lock (gate)
        {
            details = progress;
        }
    }

    public void Dispose()
    {
        timer?.Dispose();
        Send();
        lock (gate)
        {
            disposed = true;
        }
    }

    private void Send()
    {
        object current;
        lock (gate)
        {
            if (disposed || context is null)
            {
                return;
            }

            current = details;
        }

        context.Heartbeat(current);
    }
}
