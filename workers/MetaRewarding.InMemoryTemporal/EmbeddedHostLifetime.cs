namespace MetaRewarding.InMemoryTemporal;

/// <summary>
/// The server is a component inside someone else's process (a test, the CLI verb): it must not take over
/// Ctrl+C / SIGTERM the way ASP.NET Core's console lifetime does. The embedding code decides when to stop.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
