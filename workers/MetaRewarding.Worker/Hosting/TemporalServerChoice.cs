namespace MetaRewarding.Worker.Hosting;

/// <summary>Which Temporal server a process talks to.</summary>
public enum TemporalServerKind
{
    /// <summary>A server named by <c>--temporal</c>, <c>TEMPORAL_ADDRESS</c> or configuration: nothing is started.</summary>
    Configured,

    /// <summary>The <c>temporal</c> CLI's dev server (SQLite in memory, web UI), started as a child process.</summary>
    DevServer,

    /// <summary>The in-process server (workers/MetaRewarding.InMemoryTemporal): not durable; serves the Temporal Web UI.</summary>
    InProcess,
}

/// <summary>The resolver's decision.</summary>
/// <param name="Kind">Which server.</param>
/// <param name="Address"><c>host:port</c> for <see cref="TemporalServerKind.Configured"/> and <see cref="TemporalServerKind.DevServer"/>; null for in-process (known once it listens).</param>
/// <param name="Executable">The <c>temporal</c> executable, for <see cref="TemporalServerKind.DevServer"/>.</param>
public sealed record TemporalServerChoice(TemporalServerKind Kind, string? Address, string? Executable)
{
    /// <summary>Whether workflows survive a restart of this process.</summary>
    public bool IsDurable => Kind != TemporalServerKind.InProcess;
}
