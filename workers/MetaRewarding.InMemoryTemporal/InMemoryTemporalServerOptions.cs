namespace MetaRewarding.InMemoryTemporal;

/// <summary>How an <see cref="InMemoryTemporalServer"/> listens and behaves.</summary>
public sealed record InMemoryTemporalServerOptions
{
    /// <summary>Loopback TCP port; 0 picks a free one (tests), 7233 is Temporal's usual port.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Port of the web side (the Temporal Web UI and the HTTP/JSON API under /api/v1, HTTP/1.1 on localhost);
    /// null serves none (the default, for tests of the gRPC side), 0 picks a free port, 8233 is the dev server's.
    /// </summary>
    public int? UiPort { get; init; }

    /// <summary>The namespace the server knows; requests naming another one get NOT_FOUND.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>
    /// How long a task poll waits for work before answering empty. The real server uses about 60 s;
    /// shorter keeps worker shutdown quick (an idle poll is ended either way when the worker stops).
    /// </summary>
    public TimeSpan LongPollTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A SQLite file that keeps every namespace's runs, histories, timers, task queues and visibility across restarts
    /// (created if absent); null keeps everything in memory, lost when the server stops.
    /// </summary>
    public string? DatabaseFile { get; init; }

    /// <summary>
    /// The workers run in the server's own process (the demo): after a restart from <see cref="DatabaseFile"/>, tasks
    /// that were with a worker died with it and are retried at once. False (a standalone server): they wait for their
    /// worker, which may still be alive elsewhere, or for their timeouts.
    /// </summary>
    public bool WorkersStopWithServer { get; init; }

    /// <summary>Clock for timers, timeouts and event times (a fake one can drive tests).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Port must be 0 (pick a free one) or 1-65535.");
        }
        if (UiPort is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(UiPort), UiPort, "UiPort must be 0 (pick a free one) or 1-65535.");
        }
        if (string.IsNullOrWhiteSpace(Namespace))
        {
            throw new ArgumentException("Namespace must not be empty; use \"default\" unless the workers expect another.", nameof(Namespace));
        }
        if (LongPollTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(LongPollTimeout), LongPollTimeout, "LongPollTimeout must be positive.");
        }
    }
}
