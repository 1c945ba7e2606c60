using System.Security.Cryptography;

namespace MetaRewarding.Activities.Artifacts;

/// <summary>
/// The <c>{name}.sha256</c> file next to a file artifact, in <c>sha256sum</c>'s format (<c>{hash}  {name}</c>) so
/// that <c>sha256sum -c</c> can check a store by hand. It is written after the data: a file whose sidecar is missing
/// or disagrees was not completely written.
/// </summary>
internal static class ArtifactSidecar
{
    public const string Extension = ".sha256";

    public static string PathFor(string fullPath) => fullPath + Extension;

    public static string Format(string sha256, string fileName) => $"{sha256}  {fileName}\n";

    /// <summary>The hash a sidecar records, or null when it is absent or not a hash.</summary>
    public static string? TryRead(string fullPath)
    {
        var sidecar = PathFor(fullPath);
        if (!File.Exists(sidecar))
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(sidecar);
        }
        catch (IOException)
        {
            return null;
        }

        var hash = text.Split([' ', '\t', '\n', '\r'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return hash is { Length: 64 } && hash.All(char.IsAsciiHexDigit) ? hash.ToLowerInvariant() : null;
    }

    public static string HashFile(string fullPath)
    {
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
