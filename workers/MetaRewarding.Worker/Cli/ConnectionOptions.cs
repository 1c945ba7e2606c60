using System.CommandLine;
using MetaRewarding.Worker.Hosting;
using Microsoft.Extensions.Configuration;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>--temporal HOST:PORT</c> and <c>--namespace NS</c>, shared by the verbs that talk to Temporal. They override
/// <c>TEMPORAL_ADDRESS</c> / <c>TEMPORAL_NAMESPACE</c>, <c>METAREWARDING_Temporal__*</c> and appsettings.json.
/// </summary>
internal sealed class ConnectionOptions
{
    public Option<string?> Temporal { get; } = new("--temporal")
    {
        Description = "Temporal frontend HOST:PORT (default: TEMPORAL_ADDRESS, then configuration).",
        HelpName = "HOST:PORT",
    };

    public Option<string?> Namespace { get; } = new("--namespace")
    {
        Description = "Temporal namespace (default: TEMPORAL_NAMESPACE, then configuration, then 'default').",
        HelpName = "NS",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Temporal);
        command.Options.Add(Namespace);
    }

    /// <summary>The configuration with these options (and <paramref name="more"/>) on top.</summary>
    public IConfigurationRoot Configuration(ParseResult parse, IEnumerable<KeyValuePair<string, string?>>? more = null)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Temporal:Address"] = parse.GetValue(Temporal),
            ["Temporal:Namespace"] = parse.GetValue(Namespace),
        };
        foreach (var (key, value) in more ?? [])
        {
            overrides[key] = value;
        }

        return MetaRewardingConfiguration.Build(overrides);
    }

    /// <summary>
    /// The address a client verb (start, status, report) connects to: the configured one, else Temporal's usual
    /// local port, where `metarewarding worker` or the dev server listens when started without an address.
    /// </summary>
    public static string ClientAddress(TemporalSettings settings) =>
        settings.Address.Trim() is { Length: > 0 } address ? address : TemporalServerResolver.DevServerAddress;
}
