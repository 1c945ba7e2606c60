using System.Security.Cryptography;
using System.Text.Json;

namespace MetaRewarding.Modeling.Training;

/// <summary>
/// <c>manifest.json</c>: the SHA-256 of every file in a folder. It is written last, so a folder with a manifest that
/// verifies was completely written; a folder without one is an interrupted write.
/// </summary>
public static class HashManifest
{
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Hashes every file under <paramref name="folder"/> (recursively) and writes the manifest.</summary>
    public static void Write(string folder)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
            if (relative != FileName)
            {
                hashes[relative] = Sha256(path);
            }
        }

        var manifestPath = Path.Combine(folder, FileName);
        using var stream = new FileStream(manifestPath, FileMode.CreateNew, FileAccess.Write);
        JsonSerializer.Serialize(stream, new Manifest(hashes), JsonOptions);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Throws a <see cref="CheckpointCorruptException"/> naming the first missing or altered file.</summary>
    public static void Verify(string folder)
    {
        var manifestPath = Path.Combine(folder, FileName);
        if (!File.Exists(manifestPath))
        {
            throw new CheckpointCorruptException(
                $"Checkpoint {folder} has no {FileName}: it was not completely written. Delete the folder; training resumes from an older checkpoint.");
        }

        Manifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new CheckpointCorruptException($"Checkpoint {folder}: {FileName} is not valid JSON ({e.Message}). Delete the folder.", e);
        }

        if (manifest?.Files is null || manifest.Files.Count == 0)
        {
            throw new CheckpointCorruptException($"Checkpoint {folder}: {FileName} lists no files. Delete the folder.");
        }

        foreach (var (relative, expected) in manifest.Files)
        {
            var path = Path.Combine(folder, relative);
            if (!File.Exists(path))
            {
                throw new CheckpointCorruptException($"Checkpoint {folder} is missing {relative} (listed in {FileName}). Delete the folder.");
            }

            var actual = Sha256(path);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new CheckpointCorruptException(
                    $"Checkpoint {folder}: {relative} has SHA-256 {actual} but {FileName} records {expected}; the file is corrupt. Delete the folder.");
            }
        }
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private sealed record Manifest(SortedDictionary<string, string> Files);
}
