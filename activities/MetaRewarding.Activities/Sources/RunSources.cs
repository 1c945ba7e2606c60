using MetaRewarding.Activities.Contracts;

namespace MetaRewarding.Activities.Sources;

/// <summary>The one place that picks a run's <see cref="IRunSource"/> from its input.</summary>
public static class RunSources
{
    /// <summary>The sandbox when the input has sandbox settings, else the real model and prompt file.</summary>
    public static IRunSource For(RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Sandbox is { } sandbox ? new SandboxRunSource(sandbox) : new RealRunSource(input);
    }
}
