using MetaRewarding.Activities.Contracts;
using Microsoft.Extensions.Logging;
using Temporalio.Client;

namespace MetaRewarding.Worker.Hosting;

/// <summary>Connects a client with the configured namespace, TLS and API key.</summary>
public static class TemporalClientFactory
{
    public static TemporalClientConnectOptions Options(string address, TemporalSettings settings, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new TemporalClientConnectOptions(address)
        {
            Namespace = settings.Namespace,
            // NaN-carrying payloads (see RunPayloadConverter): every client, worker and replayer must agree.
            DataConverter = RunPayloadConverter.DataConverter,
            Runtime = TemporalCoreLogging.Runtime,
        };
        if (loggerFactory is not null)
        {
            options.LoggerFactory = loggerFactory;
        }

        if (settings.Tls.Enabled)
        {
            options.Tls = new TlsOptions
            {
                ClientCert = ReadPem(settings.Tls.ClientCertPath, "Temporal:Tls:ClientCertPath (TEMPORAL_TLS_CLIENT_CERT_PATH)"),
                ClientPrivateKey = ReadPem(settings.Tls.ClientKeyPath, "Temporal:Tls:ClientKeyPath (TEMPORAL_TLS_CLIENT_KEY_PATH)"),
                ServerRootCACert = ReadPem(settings.Tls.ServerRootCaCertPath, "Temporal:Tls:ServerRootCaCertPath (TEMPORAL_TLS_SERVER_CA_CERT_PATH)"),
                Domain = settings.Tls.ServerName.Length > 0 ? settings.Tls.ServerName : null,
            };
            if ((options.Tls.ClientCert is null) != (options.Tls.ClientPrivateKey is null))
            {
                throw new InvalidOperationException("mutual TLS needs both Temporal:Tls:ClientCertPath and Temporal:Tls:ClientKeyPath (or neither)");
            }
        }

        if (settings.ApiKey.Length > 0)
        {
            options.ApiKey = settings.ApiKey;
            // An API key travels as a bearer token: never in plaintext.
            options.Tls ??= new TlsOptions();
        }

        return options;
    }

    public static Task<TemporalClient> ConnectAsync(string address, TemporalSettings settings, ILoggerFactory? loggerFactory = null) =>
        TemporalClient.ConnectAsync(Options(address, settings, loggerFactory));

    private static byte[]? ReadPem(string path, string setting)
    {
        if (path.Length == 0)
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{setting} names '{path}', which does not exist; give the PEM file's path as this process sees it");
        }

        return File.ReadAllBytes(path);
    }
}
