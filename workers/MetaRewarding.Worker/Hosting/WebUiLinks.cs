using MetaRewarding.InMemoryTemporal;

namespace MetaRewarding.Worker.Hosting;

/// <summary>
/// Links into the Temporal Web UI that `demo`, `start`, `status` and `local-server` print: the UI's own paths
/// (<c>/namespaces/NS/workflows/ID</c> opens a workflow's latest run), on the configured UI
/// (<see cref="TemporalSettings.UiUrl"/>), else on http://localhost:<see cref="TemporalSettings.UiPort"/> when the
/// server is on this machine (the in-process server's UI, or the temporal CLI dev server's).
/// </summary>
public static class WebUiLinks
{
    /// <summary>The UI to link to for a server at <paramref name="address"/>, or null when unknown (a remote cluster without UiUrl).</summary>
    public static Uri? UiBase(TemporalSettings settings, string address)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(address);
        if (settings.UiUrl.Trim() is { Length: > 0 } configured)
        {
            return Uri.TryCreate(configured.EndsWith('/') ? configured : configured + "/", UriKind.Absolute, out var url) ? url : null;
        }
        var host = address.Contains(':', StringComparison.Ordinal) ? address[..address.LastIndexOf(':')] : address;
        return host is "127.0.0.1" or "localhost" or "[::1]" && settings.UiPort > 0 ? new Uri($"http://localhost:{settings.UiPort}/") : null;
    }

    /// <summary>The page of workflow <paramref name="workflowId"/> (its latest run) in the UI at <paramref name="uiBase"/>.</summary>
    public static Uri ToWorkflow(Uri uiBase, string @namespace, string workflowId)
    {
        ArgumentNullException.ThrowIfNull(uiBase);
        return new Uri(uiBase, $"namespaces/{Uri.EscapeDataString(@namespace)}/workflows/{Uri.EscapeDataString(workflowId)}");
    }

    /// <summary>The line a started in-process server prints about its web side.</summary>
    public static string Describe(InMemoryTemporalServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.UiUrl is not { } url)
        {
            return "No Temporal Web UI (no UI port).";
        }
        return InMemoryTemporalServer.UiUnavailableReason is { } reason
            ? $"Temporal Web UI NOT available: {reason}. The HTTP API is at {url}api/v1."
            : $"Temporal Web UI: {url}";
    }
}
