using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.StaticFiles;

namespace MetaRewarding.InMemoryTemporal.Http;

/// <summary>
/// The Temporal Web UI's static files, built from npm @temporalio/ui at build time (workers/MetaRewarding.TemporalUi)
/// and embedded in this assembly as resources named <c>TemporalUi/&lt;path&gt;</c>. When the build could not make
/// them (no Node.js, or <c>-p:TemporalUi=false</c>) the build embeds <c>TemporalUi.unavailable.txt</c> saying why.
/// </summary>
internal sealed class WebUiAssets
{
    public const string Prefix = "TemporalUi/";
    public const string UnavailableResource = "TemporalUi.unavailable.txt";
    public const string PackageResource = "TemporalUi.package.json";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private readonly Assembly assembly;
    private readonly FrozenSet<string> files;

    private WebUiAssets(Assembly assembly)
    {
        this.assembly = assembly;
        var names = assembly.GetManifestResourceNames();
        files = names.Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Select(n => n[Prefix.Length..]).ToFrozenSet(StringComparer.Ordinal);
        Version = ReadText(PackageResource) is { } package
            ? System.Text.Json.JsonDocument.Parse(package).RootElement.GetProperty("version").GetString() ?? ""
            : "";
        UnavailableReason = files.Contains("index.html")
            ? null
            : ReadText(UnavailableResource)?.Trim() ?? "the Temporal Web UI was not built into this server (no TemporalUi resources); rebuild with Node.js >= 18 and npm on PATH";
    }

    /// <summary>The UI assets of this server's assembly.</summary>
    public static WebUiAssets Embedded { get; } = new(typeof(WebUiAssets).Assembly);

    /// <summary>Why there is no UI, or null when there is one.</summary>
    public string? UnavailableReason { get; }

    /// <summary>The bundled @temporalio/ui version, from its package.json (empty when there is no UI).</summary>
    public string Version { get; }

    public bool Available => UnavailableReason is null;

    /// <summary>
    /// The file for a request path: the file itself when the build has it, else <c>index.html</c> (a page path such
    /// as /namespaces/default/workflows, which the single-page app routes in the browser). Null for a missing
    /// asset under <c>/_app/</c>, which must be a 404, not the page.
    /// </summary>
    public (Stream Content, string ContentType, bool Immutable)? Open(string requestPath)
    {
        var path = requestPath.TrimStart('/');
        if (!files.Contains(path))
        {
            if (path.StartsWith("_app/", StringComparison.Ordinal) || !Available)
            {
                return null;
            }
            path = "index.html";
        }
        var stream = assembly.GetManifestResourceStream(Prefix + path)!;
        var type = ContentTypes.TryGetContentType(path, out var known) ? known : "application/octet-stream";
        return (stream, type, path.StartsWith("_app/immutable/", StringComparison.Ordinal));
    }

    private string? ReadText(string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource);
        if (stream is null)
        {
            return null;
        }
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
