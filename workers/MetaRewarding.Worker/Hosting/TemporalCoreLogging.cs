using Serilog.Extensions.Logging;
using Temporalio.Runtime;

namespace MetaRewarding.Worker.Hosting;

/// <summary>
/// One Temporal runtime per process whose core (the SDK's Rust worker) logs through this process's Serilog logger
/// instead of writing its own coloured lines to the console: a core warning then follows the configured levels and
/// sinks, and carries no escape codes when the output is not a terminal (docs/SANDBOX.md, "Running it").
/// </summary>
public static class TemporalCoreLogging
{
    private static readonly Lazy<TemporalRuntime> Shared = new(() => new TemporalRuntime(new TemporalRuntimeOptions
    {
        Telemetry = new TelemetryOptions
        {
            Logging = new LoggingOptions
            {
                Filter = new TelemetryFilterOptions(TelemetryFilterOptions.Level.Warn, TelemetryFilterOptions.Level.Warn),

                // No logger given: each event goes to the static Serilog logger of the moment, which the worker host
                // configures (WorkerHost's AddSerilog replaces it).
                Forwarding = new LogForwardingOptions { Logger = new SerilogLoggerFactory().CreateLogger("Temporalio.Core") },
            },
        },
    }));

    /// <summary>The runtime every client of this process connects with.</summary>
    public static TemporalRuntime Runtime => Shared.Value;
}
