using Temporalio.Activities;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// Heartbeats the current activity every interval with the latest progress details, from a background timer, so
/// a long model load or a slow batch never looks like a dead worker. <see cref="Report"/> also sends at once when
/// the interval has passed since the last heartbeat (the SDK throttles what reaches the server). An activity that
/// finishes within one interval sends none (see <see cref="Dispose"/>). Without an activity context (a plain unit
/// test) it does nothing.
/// </summary>
public sealed class ActivityHeartbeat : IDisposable
{
    private readonly ActivityExecutionContext? context;
    private readonly Timer? timer;
    private readonly Lock gate = new();
    private readonly TimeSpan interval;
    private long lastSentTicks;
    private object details;
    private bool disposed;

    public ActivityHeartbeat(TimeSpan interval, object initialDetails)
    {
        ArgumentNullException.ThrowIfNull(initialDetails);
        details = initialDetails;
        this.interval = interval;
        context = ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current : null;
        if (context is not null)
        {
            lastSentTicks = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
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

        if (TimeSpan.FromTicks(Environment.TickCount64 * TimeSpan.TicksPerMillisecond - Interlocked.Read(ref lastSentTicks)) >= interval)
        {
            Send();
        }
    }

    /// <summary>
    /// Stops heartbeating: after it returns no heartbeat is sent, even by a timer tick already under way. It sends
    /// no last one: the SDK records a heartbeat in the background, so one sent as the activity returns reaches the
    /// worker core after the completion and is rejected with an "Activity heartbeat failed" warning
    /// (docs/SANDBOX.md, "Running it"); the activity's result says the rest.
    /// </summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
        }

        if (timer is not null)
        {
            using var stopped = new ManualResetEvent(false);
            if (timer.Dispose(stopped))
            {
                stopped.WaitOne();
            }
        }
    }

    private void Send()
    {
        // Under the gate, so Dispose cannot finish (and the activity complete) between the check and the heartbeat.
        lock (gate)
        {
            SendLocked();
        }
    }

    private void SendLocked()
    {
        if (disposed || context is null)
        {
            return;
        }

        Interlocked.Exchange(ref lastSentTicks, Environment.TickCount64 * TimeSpan.TicksPerMillisecond);
        context.Heartbeat(details);
    }
}
