using System.Text.Json;

namespace MetaRewarding.InMemoryTemporal.Http;

/// <summary>
/// <c>GET /api/v1/settings</c>: what Temporal's Go UI server tells the UI about itself (its <c>SettingsResponse</c>,
/// PascalCase keys). Auth is off (the server listens on loopback only), the default namespace is the one served,
/// and <c>Version</c> is the bundled UI's version: the UI encodes path parameters once only from UI version 2.23 on.
/// </summary>
internal static class UiSettings
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = null };

    public static string Render(string defaultNamespace, string uiVersion) => JsonSerializer.Serialize(new
    {
        Auth = new { Enabled = false, Options = Array.Empty<string>() },
        BannerText = "",
        DefaultNamespace = defaultNamespace,
        ShowTemporalSystemNamespace = false,
        FeedbackURL = "",
        NotifyOnNewVersion = false,
        Codec = new { Endpoint = "", PassAccessToken = false, IncludeCredentials = false, DefaultErrorMessage = "", DefaultErrorLink = "" },
        Version = uiVersion,
        DisableWriteActions = false,
        WorkflowTerminateDisabled = false,
        WorkflowCancelDisabled = false,
        WorkflowSignalDisabled = false,
        WorkflowUpdateDisabled = false,
        WorkflowResetDisabled = false,
        BatchActionsDisabled = false,
        StartWorkflowDisabled = false,
        HideWorkflowQueryErrors = false,
        RefreshWorkflowCountsDisabled = false,
    }, Json);
}
