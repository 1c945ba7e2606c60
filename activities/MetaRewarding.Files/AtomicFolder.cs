namespace MetaRewarding.Files;

/// <summary>
/// Puts a folder that was written completely under a temporary name into place (docs/DESIGN.md, "folder commits"):
/// one rename when nothing is there; otherwise the old folder (or file) is renamed aside first — a rename cannot
/// replace a folder — then the new one renamed in, then the old one deleted. A crash in between leaves no folder at
/// the path (incomplete, so rewritten next time) and a hidden aside folder, never a mix of old and new files.
/// </summary>
public static class AtomicFolder
{
    /// <summary>Moves <paramref name="temporary"/> to <paramref name="final"/>, replacing what is there via <paramref name="aside"/>.</summary>
    /// <param name="temporary">The complete new folder, on the same file system.</param>
    /// <param name="final">Where it goes.</param>
    /// <param name="aside">An unused hidden path on the same file system for the old content, deleted afterwards.</param>
    public static void Commit(string temporary, string final, string aside)
    {
        if (!Directory.Exists(final) && !File.Exists(final))
        {
            Directory.Move(temporary, final);
            return;
        }

        if (Directory.Exists(final))
        {
            Directory.Move(final, aside);
        }
        else
        {
            File.Move(final, aside);
        }

        Directory.Move(temporary, final);
        DeleteQuietly(aside);
    }

    /// <summary>Deletes a folder (or file) if it exists, ignoring the errors a leftover may cause (it only costs disk space).</summary>
    public static void DeleteQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        AtomicFile.DeleteQuietly(path);
    }
}
