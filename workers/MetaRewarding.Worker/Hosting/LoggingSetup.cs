using Microsoft.Extensions.Configuration;
using Serilog;

namespace MetaRewarding.Worker.Hosting;

/// <summary>
/// Serilog from the <c>Serilog</c> configuration section (levels and overrides), to the console always and to
/// Seq when <c>Serilog:Seq:ServerUrl</c> is set (absent or empty: no Seq sink), with LogContext properties (see
/// <see cref="ActivityLogContextInterceptor"/>) and the SDK's logger scopes as event properties.
/// </summary>
public static class LoggingSetup
{
    /// <summary>The Seq ingestion URL setting (METAREWARDING_Serilog__Seq__ServerUrl); absent or empty: no Seq sink.</summary>
    public const string SeqServerUrlKey = "Serilog:Seq:ServerUrl";

    /// <summary>The Seq API key setting (METAREWARDING_Serilog__Seq__ApiKey); empty: none.</summary>
    public const string SeqApiKeyKey = "Serilog:Seq:ApiKey";

    private const string ConsoleTemplate =
        "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    public static LoggerConfiguration Configure(LoggerConfiguration logger, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(configuration);
        logger = logger
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Application", "metarewarding")
            .WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        var seqUrl = configuration[SeqServerUrlKey];
        if (!string.IsNullOrWhiteSpace(seqUrl))
        {
            var apiKey = configuration[SeqApiKeyKey];
            logger = logger.WriteTo.Seq(seqUrl, apiKey: string.IsNullOrWhiteSpace(apiKey) ? null : apiKey, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }

        return logger;
    }

    /// <summary>Whether a Seq sink is configured.</summary>
    public static bool HasSeq(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration?[SeqServerUrlKey]);
}
