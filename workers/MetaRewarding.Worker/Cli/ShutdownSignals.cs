using System.Runtime.InteropServices;

namespace MetaRewarding.Worker.Cli;

/// <summary>How the server verbs (<c>local-server</c>, <c>serve</c>) wait to be stopped: Ctrl+C (SIGINT) or SIGTERM (docker stop, systemd), whatever the host set up.</summary>
internal static class ShutdownSignals
{
    /// <summary>Completes when SIGINT or SIGTERM arrives or <paramref name="stop"/> is cancelled; the process stays alive so the caller can stop cleanly.</summary>
    public static async Task WaitAsync(CancellationToken stop)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopOnSignal(stopping));
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopOnSignal(stopping));
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped: the caller says so and shuts down
        }
    }

    private static Action<PosixSignalContext> StopOnSignal(CancellationTokenSource stopping) => context =>
    {
        context.Cancel = true; // keep the process alive until the server has stopped
        stopping.Cancel();
    };
}
