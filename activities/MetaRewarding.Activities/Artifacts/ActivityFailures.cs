using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using Temporalio.Exceptions;

namespace MetaRewarding.Activities.Artifacts;

/// <summary>
/// Turns the failures that retrying cannot fix into non-retryable Temporal application failures whose type is one of
/// <see cref="ErrorTypes"/>, so the workflow stops at once with the message in the UI instead of retrying for days.
/// Everything else propagates unchanged and is retried by the activity's retry policy.
/// </summary>
public static class ActivityFailures
{
    /// <summary>A non-retryable <see cref="ErrorTypes.InvalidConfiguration"/> failure.</summary>
    public static ApplicationFailureException InvalidConfiguration(string message, Exception? inner = null) =>
        new(message, inner, ErrorTypes.InvalidConfiguration, nonRetryable: true);

    /// <summary>A non-retryable <see cref="ErrorTypes.InvalidConfiguration"/> failure listing every problem.</summary>
    public static ApplicationFailureException InvalidConfiguration(ConfigurationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return InvalidConfiguration(exception.Message, exception);
    }

    /// <summary>A non-retryable <see cref="ErrorTypes.MissingInput"/> failure.</summary>
    public static ApplicationFailureException MissingInput(ArtifactMissingException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new(exception.Message, exception, ErrorTypes.MissingInput, nonRetryable: true);
    }

    /// <summary>A non-retryable <see cref="ErrorTypes.DivergedTraining"/> failure (a loss that was not finite: the same batch would fail again).</summary>
    public static ApplicationFailureException DivergedTraining(string message, Exception inner) =>
        new(message, inner, ErrorTypes.DivergedTraining, nonRetryable: true);

    /// <summary>Runs an activity body, translating configuration and missing-artifact errors.</summary>
    public static async Task<T> GuardAsync<T>(Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body();
        }
        catch (ConfigurationException e)
        {
            throw InvalidConfiguration(e);
        }
        catch (ArtifactMissingException e)
        {
            throw MissingInput(e);
        }
    }

    /// <summary>Runs an activity body, translating configuration and missing-artifact errors.</summary>
    public static async Task GuardAsync(Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        await GuardAsync(async () =>
        {
            await body();
            return true;
        });
    }
}
