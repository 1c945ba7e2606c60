using System.Collections.Concurrent;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace MetaRewarding.InMemoryTemporal.Tests.Support;

/// <summary>Progress an activity reports in its heartbeat, and resumes from on its next attempt.</summary>
public sealed record Progress(int Step);

/// <summary>
/// Activities whose behaviour the tests steer; one instance per test, so parallel tests never share
/// counters. Each records when each attempt started.
/// </summary>
public sealed class TestActivities
{
    public ConcurrentQueue<(int Attempt, DateTimeOffset Time)> Attempts { get; } = new();
    public ConcurrentQueue<int> ResumedFrom { get; } = new();
    public int FailuresBeforeSuccess { get; init; }
    public string FailureType { get; init; } = "Transient";
    public TaskCompletionSource ActivityCanceled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource BlockingStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int echoCalls;

    public int EchoCalls => Volatile.Read(ref echoCalls);

    [Activity]
    public string Echo(string text)
    {
        Interlocked.Increment(ref echoCalls);
        return text;
    }

    [Activity]
    public string Flaky(string text)
    {
        var info = ActivityExecutionContext.Current.Info;
        Attempts.Enqueue((info.Attempt, DateTimeOffset.UtcNow));
        if (info.Attempt <= FailuresBeforeSuccess)
        {
            throw new ApplicationFailureException($"attempt {info.Attempt} fails on purpose", errorType: FailureType);
        }
        return $"{text} after {info.Attempt} attempts";
    }

    /// <summary>Counts to <paramref name="steps"/>, heartbeating each step; attempt 1 stops heartbeating at step 3.</summary>
    [Activity]
    public async Task<int> CountWithHeartbeats(int steps)
    {
        var context = ActivityExecutionContext.Current;
        var start = context.Info.HeartbeatDetails.Count > 0 ? (await context.Info.HeartbeatDetailAtAsync<Progress>(0)).Step + 1 : 0;
        ResumedFrom.Enqueue(start);
        for (var step = start; step < steps; step++)
        {
            context.Heartbeat(new Progress(step));
            if (context.Info.Attempt == 1 && step == 3)
            {
                // Hang without heartbeating: the server's heartbeat timeout must end this attempt.
                await Task.Delay(TimeSpan.FromSeconds(30), context.CancellationToken);
            }
            await Task.Delay(20, context.CancellationToken);
        }
        return start;
    }

    /// <summary>Heartbeats until cancelled; reports the cancellation.</summary>
    [Activity]
    public async Task<string> WaitForCancel()
    {
        var context = ActivityExecutionContext.Current;
        BlockingStarted.TrySetResult();
        try
        {
            while (true)
            {
                context.Heartbeat();
                await Task.Delay(50, context.CancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            ActivityCanceled.TrySetResult();
            throw;
        }
    }

    /// <summary>Attempt 1 blocks (its worker goes away); later attempts return at once.</summary>
    [Activity]
    public async Task<string> BlockOnFirstAttempt()
    {
        var context = ActivityExecutionContext.Current;
        Attempts.Enqueue((context.Info.Attempt, DateTimeOffset.UtcNow));
        if (context.Info.Attempt == 1)
        {
            BlockingStarted.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
        }
        return $"finished on attempt {context.Info.Attempt}";
    }

    /// <summary>Sleeps longer than its start-to-close timeout on attempt 1.</summary>
    [Activity]
    public async Task<string> SlowOnFirstAttempt()
    {
        var context = ActivityExecutionContext.Current;
        Attempts.Enqueue((context.Info.Attempt, DateTimeOffset.UtcNow));
        if (context.Info.Attempt == 1)
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.CancellationToken);
        }
        return $"attempt {context.Info.Attempt}";
    }

    /// <summary>Completed later by the test, through the async-completion (by id) API.</summary>
    [Activity]
    public string CompleteLater()
    {
        BlockingStarted.TrySetResult();
        throw new CompleteAsyncException();
    }

    /// <summary>Returns a string of the given size (to exceed the 2 MB payload limit).</summary>
    [Activity]
    public string BigResult(int bytes)
    {
        Attempts.Enqueue((ActivityExecutionContext.Current.Info.Attempt, DateTimeOffset.UtcNow));
        return new string('x', bytes);
    }
}
