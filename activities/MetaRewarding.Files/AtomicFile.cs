using System.Text;

namespace MetaRewarding.Files;

/// <summary>
/// Writes a file so that a reader sees the old content or the new, never half of it (docs/DESIGN.md, "atomic
/// writes"): the bytes go to a hidden temporary file in the same folder (<see cref="TemporaryPathFor"/>), are flushed
/// to disk, and the file is renamed over the target, which is atomic on one file system. A failure deletes the
/// temporary file and leaves the target as it was.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// A fresh hidden temporary path beside <paramref name="path"/>: <c>.{name}.tmp-{guid}</c>, unique per call so two
    /// writers never share one, and recognisable by its prefix when a crash leaves one behind.
    /// </summary>
    public static string TemporaryPathFor(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $"{TemporaryPrefixFor(full)}{Guid.NewGuid():N}");
    }

    /// <summary>The file-name prefix of <see cref="TemporaryPathFor"/>'s paths for <paramref name="path"/> (for clean-ups).</summary>
    public static string TemporaryPrefixFor(string path) => $".{Path.GetFileName(path)}.tmp-";

    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>, atomically; creates the folder.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Prepare(path);
        var temporary = TemporaryPathFor(full);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            DeleteQuietly(temporary);
        }
    }

    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>, atomically; creates the folder.</summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Prepare(path);
        var temporary = TemporaryPathFor(full);
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            DeleteQuietly(temporary);
        }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark, atomically.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Deletes a file if it exists, ignoring the errors a leftover temporary file may cause (it only costs disk space).</summary>
    public static void DeleteQuietly(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Prepare(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return full;
    }
}
