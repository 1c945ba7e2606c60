using Google.Protobuf.WellKnownTypes;
using MetaRewarding.InMemoryTemporal.Engine;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;

namespace MetaRewarding.InMemoryTemporal.Tests.Engine;

public sealed class RetryDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Failure Plain = new() { Message = "boom", ApplicationFailureInfo = new() { Type = "Transient" } };

    [Fact]
    public void WithDefaults_EmptyPolicy_UsesServerDefaults()
    {
        var policy = RetryDecision.WithDefaults(null);
        Assert.Equal(TimeSpan.FromSeconds(1), policy.InitialInterval.ToTimeSpan());
        Assert.Equal(2.0, policy.BackoffCoefficient);
        Assert.Equal(TimeSpan.FromSeconds(100), policy.MaximumInterval.ToTimeSpan());
        Assert.Equal(0, policy.MaximumAttempts);
    }

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(3, 4000)]
    [InlineData(7, 64000)]
    [InlineData(8, 100000)] // 128 s capped at the maximum interval (100 x initial)
    [InlineData(30, 100000)]
    public void Decide_DefaultPolicy_BacksOffExponentiallyUpToMaximum(int attempt, int expectedMs)
    {
        var decision = RetryDecision.Decide(RetryDecision.WithDefaults(null), attempt, Plain, Now, deadline: null);
        Assert.True(decision.Retry);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), decision.Delay);
    }

    [Fact]
    public void Decide_MaximumAttemptsUsed_StopsWithMaximumAttemptsReached()
    {
        var policy = RetryDecision.WithDefaults(new RetryPolicy { MaximumAttempts = 3 });
        Assert.True(RetryDecision.Decide(policy, 2, Plain, Now, null).Retry);
        var last = RetryDecision.Decide(policy, 3, Plain, Now, null);
        Assert.False(last.Retry);
        Assert.Equal(RetryState.MaximumAttemptsReached, last.State);
    }

    [Fact]
    public void Decide_NonRetryableTypeOrFlag_StopsWithNonRetryableFailure()
    {
        var policy = RetryDecision.WithDefaults(new RetryPolicy { NonRetryableErrorTypes = { "Transient" } });
        Assert.Equal(RetryState.NonRetryableFailure, RetryDecision.Decide(policy, 1, Plain, Now, null).State);
        var flagged = new Failure { ApplicationFailureInfo = new() { Type = "Other", NonRetryable = true } };
        Assert.False(RetryDecision.Decide(RetryDecision.WithDefaults(null), 1, flagged, Now, null).Retry);
    }

    [Fact]
    public void Decide_RetryWouldStartAfterDeadline_StopsWithTimeout()
    {
        var decision = RetryDecision.Decide(RetryDecision.WithDefaults(null), 1, Plain, Now, Now.AddMilliseconds(999));
        Assert.False(decision.Retry);
        Assert.Equal(RetryState.Timeout, decision.State);
    }

    [Theory]
    [InlineData(TimeoutType.StartToClose, true)]
    [InlineData(TimeoutType.Heartbeat, true)]
    [InlineData(TimeoutType.ScheduleToStart, false)]
    [InlineData(TimeoutType.ScheduleToClose, false)]
    public void Decide_Timeouts_OnlyStartToCloseAndHeartbeatRetry(TimeoutType type, bool retried)
    {
        var failure = new Failure { TimeoutFailureInfo = new() { TimeoutType = type } };
        Assert.Equal(retried, RetryDecision.Decide(RetryDecision.WithDefaults(null), 1, failure, Now, null).Retry);
    }

    [Fact]
    public void Decide_CustomCoefficientAndCap_AppliesBoth()
    {
        var policy = RetryDecision.WithDefaults(new RetryPolicy
        {
            InitialInterval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(100)),
            BackoffCoefficient = 3,
            MaximumInterval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(500)),
        });
        Assert.Equal(TimeSpan.FromMilliseconds(300), RetryDecision.Decide(policy, 2, Plain, Now, null).Delay);
        Assert.Equal(TimeSpan.FromMilliseconds(500), RetryDecision.Decide(policy, 3, Plain, Now, null).Delay);
    }
}
