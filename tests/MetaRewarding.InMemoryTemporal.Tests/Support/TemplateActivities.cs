using Temporalio.Activities;
using Temporalio.Exceptions;

namespace MetaRewarding.InMemoryTemporal.Tests.Support;

/// <summary>
/// Stands in for a step that reads a user's template: while the template is broken it fails (retryably or not, as
/// the test says), once fixed it renders. Counts the expensive earlier step, to show a reset reuses its result.
/// </summary>
public sealed class TemplateActivities
{
    private int prepareCalls;
    private volatile bool broken = true;

    /// <summary>The user's template is broken until the test fixes it.</summary>
    public bool Broken
    {
        get => broken;
        set => broken = value;
    }

    public bool BrokenIsFatal { get; init; }

    public int PrepareCalls => Volatile.Read(ref prepareCalls);

    [Activity]
    public string Prepare(string input)
    {
        Interlocked.Increment(ref prepareCalls);
        return "prepared " + input;
    }

    [Activity]
    public string Render(string prepared)
    {
        var attempt = ActivityExecutionContext.Current.Info.Attempt;
        if (Broken)
        {
            throw new ApplicationFailureException("the template does not parse", errorType: "InvalidConfiguration", nonRetryable: BrokenIsFatal);
        }
        return $"{prepared}, rendered on attempt {attempt}";
    }
}
