using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>Whether a failed activity attempt is retried, after what delay, or why not.</summary>
internal readonly record struct RetryDecision(bool Retry, TimeSpan Delay, RetryState State)
{
    /// <summary>Temporal's server defaults for fields a retry policy leaves unset.</summary>
    public static readonly TimeSpan DefaultInitialInterval = TimeSpan.FromSeconds(1);
    public const double DefaultBackoffCoefficient = 2.0;
    public const int DefaultMaximumIntervalFactor = 100;

    /// <summary>Returns the policy with the server defaults filled in (what history records).</summary>
    public static RetryPolicy WithDefaults(RetryPolicy? policy)
    {
        var result = policy?.Clone() ?? new RetryPolicy();
        if (result.InitialInterval is null || result.InitialInterval.ToTimeSpan() <= TimeSpan.Zero)
        {
            result.InitialInterval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(DefaultInitialInterval);
        }
        if (result.BackoffCoefficient <= 0)
        {
            result.BackoffCoefficient = DefaultBackoffCoefficient;
        }
        if (result.MaximumInterval is null || result.MaximumInterval.ToTimeSpan() <= TimeSpan.Zero)
        {
            result.MaximumInterval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(result.InitialInterval.ToTimeSpan() * DefaultMaximumIntervalFactor);
        }
        return result;
    }

    /// <summary>
    /// Decides for attempt <paramref name="attempt"/> that just failed with <paramref name="failure"/>.
    /// The delay before attempt n+1 is initial * coefficient^(n-1), capped at the maximum interval; no retry
    /// when attempts are used up, the failure is non-retryable, or the retry would start after the
    /// schedule-to-close deadline.
    /// </summary>
    public static RetryDecision Decide(RetryPolicy policy, int attempt, Failure? failure, DateTimeOffset now, DateTimeOffset? deadline)
    {
        if (IsNonRetryable(policy, failure))
        {
            return new RetryDecision(false, TimeSpan.Zero, RetryState.NonRetryableFailure);
        }
        if (policy.MaximumAttempts > 0 && attempt >= policy.MaximumAttempts)
        {
            return new RetryDecision(false, TimeSpan.Zero, RetryState.MaximumAttemptsReached);
        }
        var initial = policy.InitialInterval.ToTimeSpan();
        var maximum = policy.MaximumInterval.ToTimeSpan();
        var scaled = initial.TotalMilliseconds * Math.Pow(policy.BackoffCoefficient, attempt - 1);
        var delay = scaled >= maximum.TotalMilliseconds ? maximum : TimeSpan.FromMilliseconds(scaled);
        if (deadline is { } end && now + delay >= end)
        {
            return new RetryDecision(false, TimeSpan.Zero, RetryState.Timeout);
        }
        return new RetryDecision(true, delay, RetryState.InProgress);
    }

    private static bool IsNonRetryable(RetryPolicy policy, Failure? failure)
    {
        if (failure is null)
        {
            return false;
        }
        if (failure.CanceledFailureInfo is not null || failure.TerminatedFailureInfo is not null)
        {
            return true;
        }
        if (failure.ApplicationFailureInfo is { } app)
        {
            return app.NonRetryable || policy.NonRetryableErrorTypes.Contains(app.Type);
        }
        if (failure.TimeoutFailureInfo is { } timeout)
        {
            // Only start-to-close and heartbeat timeouts are retried, as on the real server.
            return timeout.TimeoutType is not (TimeoutType.StartToClose or TimeoutType.Heartbeat)
                || policy.NonRetryableErrorTypes.Contains("TemporalTimeout:" + timeout.TimeoutType);
        }
        return false;
    }
}
