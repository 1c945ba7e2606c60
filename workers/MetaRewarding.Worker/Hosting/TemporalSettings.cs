namespace MetaRewarding.Worker.Hosting;

/// <summary>
/// How to reach Temporal (configuration section <c>Temporal</c>). An empty <see cref="Address"/> lets
/// <see cref="TemporalServerResolver"/> pick a local server; a real cluster is named by address, with TLS and/or an
/// API key as it requires.
/// </summary>
public sealed class TemporalSettings
{
    public const string Section = "Temporal";

    /// <summary><c>host:port</c> of the Temporal frontend; empty: a local server (dev server from PATH, else in-process).</summary>
    public string Address { get; set; } = "";

    public string Namespace { get; set; } = "default";

    /// <summary>Loopback port of the in-process server (0: any free port).</summary>
    public int LocalPort { get; set; } = 7233;

    /// <summary>
    /// Port of the in-process server's Temporal Web UI and HTTP API (HTTP/1.1 on localhost; 0: any free port), and
    /// where `start` and `status` expect the UI of a server on this machine. 8233, as the temporal CLI's dev server.
    /// </summary>
    public int UiPort { get; set; } = 8233;

    /// <summary>
    /// Base URL of the Temporal Web UI for the links `demo`, `start` and `status` print (e.g. a cluster's UI);
    /// empty: http://localhost:<see cref="UiPort"/> when the server is on this machine, else no link.
    /// </summary>
    public string UiUrl { get; set; } = "";

    /// <summary>
    /// SQLite file in which the in-process server keeps its runs across restarts (`demo` uses DIR/temporal.db); empty:
    /// in memory, lost when the process stops.
    /// </summary>
    public string DatabaseFile { get; set; } = "";

    /// <summary>API key (Temporal Cloud); sent as a bearer token. Implies TLS.</summary>
    public string ApiKey { get; set; } = "";

    public TemporalTlsSettings Tls { get; set; } = new();
}

/// <summary>Mutual TLS for a real cluster: PEM files as the workers see them.</summary>
public sealed class TemporalTlsSettings
{
    public string ClientCertPath { get; set; } = "";

    public string ClientKeyPath { get; set; } = "";

    /// <summary>CA of a self-hosted cluster's server certificate; empty: the system's roots.</summary>
    public string ServerRootCaCertPath { get; set; } = "";

    /// <summary>Server name to verify, when it differs from the address's host.</summary>
    public string ServerName { get; set; } = "";

    /// <summary>Whether any TLS setting is given (then the connection uses TLS).</summary>
    public bool Enabled =>
        ClientCertPath.Length > 0 || ClientKeyPath.Length > 0 || ServerRootCaCertPath.Length > 0 || ServerName.Length > 0;
}
