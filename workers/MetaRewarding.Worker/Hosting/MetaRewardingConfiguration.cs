using System.Collections;
using Microsoft.Extensions.Configuration;

namespace MetaRewarding.Worker.Hosting;

/// <summary>
/// The configuration every verb reads, lowest precedence first: <c>appsettings.json</c> next to the executable;
/// the Temporal CLI's environment variables (<c>TEMPORAL_ADDRESS</c>, <c>TEMPORAL_NAMESPACE</c>,
/// <c>TEMPORAL_API_KEY</c>, <c>TEMPORAL_TLS_CLIENT_CERT_PATH</c>, <c>TEMPORAL_TLS_CLIENT_KEY_PATH</c>,
/// <c>TEMPORAL_TLS_SERVER_CA_CERT_PATH</c>, <c>TEMPORAL_TLS_SERVER_NAME</c>), so a shell set up for
/// <c>temporal</c> works for <c>metarewarding</c> too; <c>METAREWARDING_</c> variables (<c>__</c> separates
/// sections: <c>METAREWARDING_Worker__Device=cuda</c>); the command line's options.
/// </summary>
public static class MetaRewardingConfiguration
{
    public const string EnvironmentPrefix = "METAREWARDING_";

    /// <summary>The Temporal CLI's variables and the settings they fill.</summary>
    public static IReadOnlyDictionary<string, string> TemporalCliVariables { get; } = new Dictionary<string, string>
    {
        ["TEMPORAL_ADDRESS"] = "Temporal:Address",
        ["TEMPORAL_NAMESPACE"] = "Temporal:Namespace",
        ["TEMPORAL_API_KEY"] = "Temporal:ApiKey",
        ["TEMPORAL_TLS_CLIENT_CERT_PATH"] = "Temporal:Tls:ClientCertPath",
        ["TEMPORAL_TLS_CLIENT_KEY_PATH"] = "Temporal:Tls:ClientKeyPath",
        ["TEMPORAL_TLS_SERVER_CA_CERT_PATH"] = "Temporal:Tls:ServerRootCaCertPath",
        ["TEMPORAL_TLS_SERVER_NAME"] = "Temporal:Tls:ServerName",
    };

    /// <summary>Builds the configuration from the real environment and appsettings.json next to the executable.</summary>
    public static IConfigurationRoot Build(IReadOnlyDictionary<string, string?> commandLine) =>
        Build(commandLine, Environment.GetEnvironmentVariables(), AppContext.BaseDirectory);

    /// <summary>Builds the configuration from explicit sources (tests pass their own environment and folder).</summary>
    public static IConfigurationRoot Build(IReadOnlyDictionary<string, string?> commandLine, IDictionary environment, string appSettingsFolder)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(environment);
        var temporalCli = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var prefixed = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment)
        {
            var name = (string)entry.Key;
            var value = entry.Value as string;
            if (TemporalCliVariables.TryGetValue(name, out var key))
            {
                temporalCli[key] = value;
            }
            else if (name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > EnvironmentPrefix.Length)
            {
                prefixed[name[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = value;
            }
        }

        return new ConfigurationBuilder()
            .SetBasePath(appSettingsFolder)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddInMemoryCollection(temporalCli)
            .AddInMemoryCollection(prefixed)
            .AddInMemoryCollection(commandLine.Where(p => p.Value is not null))
            .Build();
    }

    public static TemporalSettings Temporal(IConfiguration configuration) =>
        configuration.GetSection(TemporalSettings.Section).Get<TemporalSettings>() ?? new TemporalSettings();

    public static WorkerSettings Worker(IConfiguration configuration) =>
        configuration.GetSection(WorkerSettings.Section).Get<WorkerSettings>() ?? new WorkerSettings();
}
