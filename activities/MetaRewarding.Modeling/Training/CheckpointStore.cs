using System.Globalization;
using MetaRewarding.Files;

namespace MetaRewarding.Modeling.Training;

/// <summary>
/// A folder of training checkpoints <c>step-00000012/</c>, each written atomically: files go to a hidden temporary
/// folder, a SHA-256 manifest is written last, and the folder is renamed into place. Readers only ever see complete
/// checkpoints, and verify them before use. One training run writes to a store at a time (an activity attempt owns
/// its run folder); <see cref="Prune"/> removes leftovers of interrupted writes on that assumption.
/// </summary>
public sealed class CheckpointStore
{
    private const string StepPrefix = "step-";
    private const string TempPrefix = ".tmp-";

    public CheckpointStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Writes the checkpoint of <paramref name="step"/> atomically and returns its folder.</summary>
    /// <param name="step">Optimizer steps done; names the folder.</param>
    /// <param name="writeFiles">Writes the checkpoint's files into the folder it is given.</param>
    public string Save(int step, Action<string> writeFiles) => SaveFolder(StepFolderName(step), writeFiles);

    /// <summary>Writes any named folder of the store atomically with a hash manifest (replacing an older one).</summary>
    public string SaveFolder(string name, Action<string> writeFiles)
    {
        ArgumentNullException.ThrowIfNull(writeFiles);
        var final = Path.Combine(Root, name);
        var temp = Path.Combine(Root, $"{TempPrefix}{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            writeFiles(temp);
            HashManifest.Write(temp);
            AtomicFolder.Commit(temp, final, aside: Path.Combine(Root, $"{TempPrefix}old-{name}-{Guid.NewGuid():N}"));
        }
        catch
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            throw;
        }

        return final;
    }

    /// <summary>Verified folder <paramref name="name"/>, or null if absent; throws if present but corrupt.</summary>
    public string? FindVerifiedFolder(string name)
    {
        var folder = Path.Combine(Root, name);
        if (!Directory.Exists(folder))
        {
            return null;
        }

        HashManifest.Verify(folder);
        return folder;
    }

    /// <summary>Steps of the complete-looking checkpoints, newest first (not yet verified).</summary>
    public IReadOnlyList<int> Steps()
    {
        var steps = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories(Root, StepPrefix + "*"))
        {
            var suffix = Path.GetFileName(folder)[StepPrefix.Length..];
            if (int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var step))
            {
                steps.Add(step);
            }
        }

        steps.Sort((a, b) => b.CompareTo(a));
        return steps;
    }

    /// <summary>
    /// The newest checkpoint whose files match its manifest, or null when there is none. Each newer one that fails
    /// verification is passed to <paramref name="onRejected"/> with the reason, and skipped.
    /// </summary>
    public (int Step, string Folder)? FindNewestVerified(Action<CheckpointCorruptException>? onRejected = null)
    {
        foreach (var step in Steps())
        {
            var folder = StepFolder(step);
            try
            {
                HashManifest.Verify(folder);
                return (step, folder);
            }
            catch (CheckpointCorruptException e)
            {
                onRejected?.Invoke(e);
            }
        }

        return null;
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> checkpoints, and leftovers of interrupted writes.</summary>
    public void Prune(int keep)
    {
        foreach (var step in Steps().Skip(keep))
        {
            Directory.Delete(StepFolder(step), recursive: true);
        }

        foreach (var leftover in Directory.EnumerateDirectories(Root, TempPrefix + "*"))
        {
            Directory.Delete(leftover, recursive: true);
        }
    }

    public string StepFolder(int step) => Path.Combine(Root, StepFolderName(step));

    private static string StepFolderName(int step) => string.Create(CultureInfo.InvariantCulture, $"{StepPrefix}{step:D8}");
}
