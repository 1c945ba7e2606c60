using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using Temporalio.Exceptions;

namespace MetaRewarding.Activities.Tests.Artifacts;

public sealed class ActivityFailuresTests
{
    [Fact]
    public async Task GuardAsync_ConfigurationException_BecomesNonRetryableInvalidConfigurationWithEveryError()
    {
        var error = await Assert.ThrowsAsync<ApplicationFailureException>(() => ActivityFailures.GuardAsync<int>(
            () => throw new ConfigurationException(["iterations[0].rho must be in [0, 0.5], got 2", "seed must be >= 0, got -1"])));

        Assert.Equal(ErrorTypes.InvalidConfiguration, error.ErrorType);
        Assert.True(error.NonRetryable);
        Assert.Contains("rho", error.Message, StringComparison.Ordinal);
        Assert.Contains("seed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuardAsync_ArtifactMissing_BecomesNonRetryableMissingInput()
    {
        var error = await Assert.ThrowsAsync<ApplicationFailureException>(() => ActivityFailures.GuardAsync(
            () => throw new ArtifactMissingException("runs/a/x.jsonl", "abc", "no file")));

        Assert.Equal(ErrorTypes.MissingInput, error.ErrorType);
        Assert.True(error.NonRetryable);
        Assert.Contains("runs/a/x.jsonl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuardAsync_OtherException_PropagatesUnchangedForRetry()
    {
        await Assert.ThrowsAsync<IOException>(() => ActivityFailures.GuardAsync<int>(() => throw new IOException("transient")));
    }
}
