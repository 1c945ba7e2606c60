using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Files;
using MetaRewarding.Modeling.Training;

namespace MetaRewarding.Activities.Artifacts;

/// <summary>
/// Files and folders of runs under one root, written so that a crash at any moment never leaves something that
/// looks complete: a file is complete when it and its <c>{name}.sha256</c> sidecar exist and agree (data goes to a
/// temp file in the same folder, is flushed and renamed, then the sidecar the same way); a folder is complete when
/// its <see cref="HashManifest"/> verifies (written last, in a temp folder that is then renamed). Activities ask
/// <see cref="TryGetFile"/> / <see cref="TryGetFolder"/> first and return what exists instead of recomputing it.
/// Thread-safe: concurrent writers of one path in this process take turns, writers of different paths don't wait.
/// </summary>
public sealed class ArtifactStore
{
    /// <summary>One lock per full path, shared by every store object in the process (a worker may build several).</summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> PathLocks = new(StringComparer.Ordinal);

    private readonly string _rootWithSeparator;

    /// <summary>Opens (and creates, when missing) the store at <paramref name="root"/>.</summary>
    public ArtifactStore(string root)
    {
        if (string.IsNullOrWhiteSpace(root))
        {
            throw new ArgumentException("The artifact store root must be a folder path, got an empty string.", nameof(root));
        }

        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _rootWithSeparator = Root + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(Root);
    }

    /// <summary>
    /// How long a hidden temp file or folder of a path must have been left untouched before the next write of that
    /// path deletes it as the leftover of a crashed writer. An active writer keeps touching its temp, so a live
    /// attempt in another process (a retry racing a slow one) is not disturbed.
    /// </summary>
    public static TimeSpan StaleTemporaryAge { get; } = TimeSpan.FromHours(1);

    /// <summary>The store's absolute root folder.</summary>
    public string Root { get; }

    /// <summary><c>runs/{runId}/{parts...}</c>, '/'-joined.</summary>
    public static string RunPath(string runId, params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var problem = ArtifactPaths.RunIdProblem(runId);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(runId));
        }

        return ArtifactPaths.Normalize(string.Join('/', ["runs", runId, .. parts]));
    }

    /// <summary>The absolute path of a store-relative path; rejects absolute paths and '..' escapes.</summary>
    public string FullPath(string relativePath)
    {
        var normalized = ArtifactPaths.Normalize(relativePath);
        var full = Path.GetFullPath(Path.Combine(Root, normalized.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(_rootWithSeparator, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Artifact path '{relativePath}' resolves to {full}, outside the store root {Root}.", nameof(relativePath));
        }

        return full;
    }

    /// <summary>The file's reference when it and its sidecar exist and its content matches; null otherwise.</summary>
    public ArtifactRef? TryGetFile(string relativePath)
    {
        var normalized = ArtifactPaths.Normalize(relativePath);
        var full = FullPath(normalized);
        return TryDescribeFile(full, out var sha256, out _) ? new ArtifactRef(normalized, sha256, new FileInfo(full).Length) : null;
    }

    /// <summary>The folder's reference when its manifest verifies (<paramref name="check"/>: how thoroughly); null otherwise.</summary>
    public ArtifactRef? TryGetFolder(string relativePath, ArtifactCheck check = ArtifactCheck.Full)
    {
        var normalized = ArtifactPaths.Normalize(relativePath);
        var full = FullPath(normalized);
        return TryDescribeFolder(full, check, out var sha256, out _) ? new ArtifactRef(normalized, sha256, FolderBytes(full)) : null;
    }

    /// <summary>
    /// Writes a file atomically: <paramref name="write"/> fills a temp file, which is flushed to disk and renamed
    /// over the path, then the sidecar is written the same way. If <paramref name="write"/> throws, nothing is
    /// renamed and an earlier complete file stays as it was.
    /// </summary>
    public async Task<ArtifactRef> WriteFileAsync(string relativePath, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        var normalized = ArtifactPaths.Normalize(relativePath);
        var full = FullPath(normalized);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);

        var pathLock = PathLocks.GetOrAdd(full, _ => new SemaphoreSlim(1, 1));
        await pathLock.WaitAsync(ct);
        try
        {
            RemoveStaleTemporaries(full);
            await AtomicFile.WriteAsync(full, write, ct);

            // The path lock keeps other writers of this process out until the sidecar is written; a crash before
            // it leaves a file without a sidecar, which never counts as complete.
            var sha256 = ArtifactSidecar.HashFile(full);
            AtomicFile.WriteAllText(ArtifactSidecar.PathFor(full), ArtifactSidecar.Format(sha256, Path.GetFileName(full)));
            return new ArtifactRef(normalized, sha256, new FileInfo(full).Length);
        }
        finally
        {
            pathLock.Release();
        }
    }

    /// <summary>Writes UTF-8 text (no BOM) atomically.</summary>
    public Task<ArtifactRef> WriteTextAsync(string relativePath, string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
        return WriteFileAsync(relativePath, (stream, token) => stream.WriteAsync(bytes, token).AsTask(), ct);
    }

    /// <summary>Writes <paramref name="value"/> as JSON atomically.</summary>
    public Task<ArtifactRef> WriteJsonAsync<T>(string relativePath, T value, JsonSerializerOptions options, CancellationToken ct) =>
        WriteFileAsync(relativePath, (stream, token) => JsonSerializer.SerializeAsync(stream, value, options, token), ct);

    /// <summary>
    /// Writes a folder atomically: <paramref name="writeIntoTempFolder"/> fills an empty temp folder next to the
    /// target, the manifest is written, and the temp folder is renamed into place, replacing whatever was there
    /// (typically an interrupted earlier write).
    /// </summary>
    public ArtifactRef WriteFolder(string relativePath, Action<string> writeIntoTempFolder)
    {
        ArgumentNullException.ThrowIfNull(writeIntoTempFolder);
        var normalized = ArtifactPaths.Normalize(relativePath);
        var full = FullPath(normalized);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);

        var pathLock = PathLocks.GetOrAdd(full, _ => new SemaphoreSlim(1, 1));
        pathLock.Wait();
        try
        {
            RemoveStaleTemporaries(full);
            var temp = TempPath(full);
            try
            {
                Directory.CreateDirectory(temp);
                writeIntoTempFolder(temp);
                HashManifest.Write(temp);
                AtomicFolder.Commit(temp, full, aside: TempPath(full));
            }
            finally
            {
                AtomicFolder.DeleteQuietly(temp);
            }

            return RegisterFolder(normalized);
        }
        finally
        {
            pathLock.Release();
        }
    }

    /// <summary>The reference of a folder written elsewhere with a manifest (e.g. by CheckpointStore).</summary>
    /// <exception cref="ArtifactMissingException">The folder is absent or its manifest does not verify.</exception>
    public ArtifactRef RegisterFolder(string relativePath)
    {
        var normalized = ArtifactPaths.Normalize(relativePath);
        var full = FullPath(normalized);
        if (!TryDescribeFolder(full, ArtifactCheck.Full, out var sha256, out var found))
        {
            throw new ArtifactMissingException(normalized, null, found);
        }

        return new ArtifactRef(normalized, sha256, FolderBytes(full));
    }

    /// <summary>
    /// The full path of an artifact after checking it still is what its reference says. Store paths are relative;
    /// an absolute path (a user's base model outside the store) is checked against <see cref="DescribeExternal"/>.
    /// </summary>
    /// <param name="artifact">The reference.</param>
    /// <param name="check">For folders: <see cref="ArtifactCheck.Full"/> re-hashes every file; <see cref="ArtifactCheck.ManifestOnly"/>
    /// checks the manifest's hash and that the files it lists exist (for large checkpoints loaded many times).</param>
    /// <exception cref="ArtifactMissingException">Absent, incomplete, or another hash.</exception>
    public string Resolve(ArtifactRef artifact, ArtifactCheck check = ArtifactCheck.Full)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        if (Path.IsPathRooted(artifact.Path))
        {
            return ResolveExternal(artifact);
        }

        var full = FullPath(artifact.Path);
        string sha256;
        string found;
        bool complete;
        if (Directory.Exists(full))
        {
            complete = TryDescribeFolder(full, check, out sha256, out found);
        }
        else
        {
            complete = TryDescribeFile(full, out sha256, out found);
        }

        if (!complete)
        {
            throw new ArtifactMissingException(artifact.Path, artifact.Sha256, found);
        }

        if (!string.Equals(sha256, artifact.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArtifactMissingException(artifact.Path, artifact.Sha256, $"a complete artifact with another SHA-256 ({sha256})");
        }

        return full;
    }

    /// <summary>Opens a file artifact for reading after <see cref="Resolve"/>.</summary>
    public Stream OpenRead(ArtifactRef artifact) =>
        new FileStream(Resolve(artifact), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);

    /// <summary>Reads a file artifact as UTF-8 text after <see cref="Resolve"/>.</summary>
    public Task<string> ReadAllTextAsync(ArtifactRef artifact, CancellationToken ct) => File.ReadAllTextAsync(Resolve(artifact), ct);

    /// <summary>
    /// A reference for a file or folder outside the store (a user's base model): a file is hashed; a folder with a
    /// verifying manifest gets its manifest's hash; any other folder gets a fingerprint of its listing (relative
    /// path, size and last write time of every file), so a model folder of many GB is not read to be referenced.
    /// </summary>
    public static ArtifactRef DescribeExternal(string absolutePath)
    {
        if (!Path.IsPathRooted(absolutePath))
        {
            throw new ArgumentException($"'{absolutePath}' is not absolute; external artifacts are named by absolute paths.", nameof(absolutePath));
        }

        var full = Path.GetFullPath(absolutePath);
        if (File.Exists(full))
        {
            return new ArtifactRef(full, ArtifactSidecar.HashFile(full), new FileInfo(full).Length);
        }

        if (!Directory.Exists(full))
        {
            throw new ArtifactMissingException(full, null, "no file or folder");
        }

        var sha256 = TryDescribeFolder(full, ArtifactCheck.Full, out var manifestSha, out _) ? manifestSha : ListingFingerprint(full);
        return new ArtifactRef(full, sha256, FolderBytes(full));
    }

    private static string ResolveExternal(ArtifactRef artifact)
    {
        ArtifactRef now;
        try
        {
            now = DescribeExternal(artifact.Path);
        }
        catch (ArtifactMissingException)
        {
            throw new ArtifactMissingException(artifact.Path, artifact.Sha256, "no file or folder");
        }

        if (!string.Equals(now.Sha256, artifact.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArtifactMissingException(artifact.Path, artifact.Sha256, $"content that changed since the run started (now {now.Sha256})");
        }

        return now.Path;
    }

    private static bool TryDescribeFile(string full, out string sha256, out string found)
    {
        sha256 = "";
        if (!File.Exists(full))
        {
            found = Directory.Exists(full) ? "a folder where a file was expected" : "no file";
            return false;
        }

        var recorded = ArtifactSidecar.TryRead(full);
        if (recorded is null)
        {
            found = $"the file without a valid {ArtifactSidecar.Extension} sidecar (an interrupted write)";
            return false;
        }

        var actual = ArtifactSidecar.HashFile(full);
        if (actual != recorded)
        {
            found = $"content with SHA-256 {actual} where its sidecar records {recorded} (altered or interrupted)";
            return false;
        }

        sha256 = actual;
        found = "a complete file";
        return true;
    }

    private static bool TryDescribeFolder(string full, ArtifactCheck check, out string sha256, out string found)
    {
        sha256 = "";
        var manifest = Path.Combine(full, HashManifest.FileName);
        if (!Directory.Exists(full))
        {
            found = File.Exists(full) ? "a file where a folder was expected" : "no folder";
            return false;
        }

        if (!File.Exists(manifest))
        {
            found = $"a folder without {HashManifest.FileName} (an interrupted write)";
            return false;
        }

        try
        {
            if (check == ArtifactCheck.Full)
            {
                HashManifest.Verify(full);
            }
            else
            {
                VerifyListedFilesExist(full, manifest);
            }
        }
        catch (CheckpointCorruptException e)
        {
            found = e.Message;
            return false;
        }

        sha256 = ArtifactSidecar.HashFile(manifest);
        found = "a complete folder";
        return true;
    }

    private static void VerifyListedFilesExist(string folder, string manifest)
    {
        ManifestListing? listing;
        try
        {
            listing = JsonSerializer.Deserialize<ManifestListing>(File.ReadAllText(manifest));
        }
        catch (JsonException e)
        {
            throw new CheckpointCorruptException($"{manifest} is not valid JSON ({e.Message}).", e);
        }

        foreach (var relative in listing?.Files?.Keys ?? Enumerable.Empty<string>())
        {
            if (!File.Exists(Path.Combine(folder, relative)))
            {
                throw new CheckpointCorruptException($"{folder} is missing {relative}, listed in its {HashManifest.FileName}.");
            }
        }
    }

    private static string ListingFingerprint(string folder)
    {
        var lines = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => (Relative: Path.GetRelativePath(folder, path).Replace('\\', '/'), Info: new FileInfo(path)))
            .OrderBy(entry => entry.Relative, StringComparer.Ordinal)
            .Select(entry => $"{entry.Relative}\t{entry.Info.Length}\t{entry.Info.LastWriteTimeUtc.Ticks}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(lines))));
    }

    private static long FolderBytes(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(path => new FileInfo(path).Length);

    /// <summary>A hidden name in the same folder (a rename within one filesystem is atomic), unique per writer.</summary>
    private static string TempPath(string full) => AtomicFile.TemporaryPathFor(full);

    /// <summary>
    /// Deletes the hidden temp files and folders a crashed writer of <paramref name="full"/> left (a checkpoint's
    /// can be many GB), when nothing in them changed for <see cref="StaleTemporaryAge"/>.
    /// </summary>
    private static void RemoveStaleTemporaries(string full)
    {
        var folder = Path.GetDirectoryName(full)!;
        var pattern = AtomicFile.TemporaryPrefixFor(full) + "*";
        var cutoff = DateTime.UtcNow - StaleTemporaryAge;
        foreach (var path in Directory.EnumerateFileSystemEntries(folder, pattern))
        {
            if (File.Exists(path) && File.GetLastWriteTimeUtc(path) < cutoff)
            {
                AtomicFile.DeleteQuietly(path);
            }
            else if (Directory.Exists(path) && LastChangeUtc(path) < cutoff)
            {
                AtomicFolder.DeleteQuietly(path);
            }
        }
    }

    private static DateTime LastChangeUtc(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(File.GetLastWriteTimeUtc)
            .Append(Directory.GetLastWriteTimeUtc(folder))
            .Max();

    private sealed record ManifestListing(Dictionary<string, string>? Files);
}
