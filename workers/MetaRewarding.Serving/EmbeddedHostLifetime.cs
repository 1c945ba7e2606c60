namespace MetaRewarding.Serving;

/// <summary>
/// The server lives inside someone else's process (the <c>serve</c> verb, a test, the benchmark): it must not take
/// over Ctrl+C / SIGTERM the way ASP.NET Core's console lifetime does; the embedding code decides when to stop.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
