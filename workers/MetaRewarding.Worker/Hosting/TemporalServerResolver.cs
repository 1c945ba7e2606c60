namespace MetaRewarding.Worker.Hosting;

/// <summary>
/// Picks the Temporal server, in this order: an address from <c>--temporal HOST:PORT</c>, <c>TEMPORAL_ADDRESS</c>
/// or configuration; else the <c>temporal</c> CLI's dev server when the executable is on <c>PATH</c> (only PATH:
/// the SDK's <c>WorkflowEnvironment.StartLocalAsync</c> would download it, which needs the internet); else the
/// in-process server, which is not durable (its Web UI is on TemporalSettings.UiPort).
/// </summary>
public static class TemporalServerResolver
{
    public const string DevServerExecutable = "temporal";

    /// <summary>The dev server listens on Temporal's usual port; its UI on 8233.</summary>
    public const string DevServerAddress = "127.0.0.1:7233";

    public static TemporalServerChoice Resolve(TemporalSettings settings, string? pathVariable)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var address = settings.Address.Trim();
        if (address.Length > 0)
        {
            return new TemporalServerChoice(TemporalServerKind.Configured, address, null);
        }

        return FindOnPath(DevServerExecutable, pathVariable) is { } temporal
            ? new TemporalServerChoice(TemporalServerKind.DevServer, DevServerAddress, temporal)
            : new TemporalServerChoice(TemporalServerKind.InProcess, null, null);
    }

    /// <summary>The first executable file named <paramref name="name"/> in the folders of <paramref name="pathVariable"/>.</summary>
    public static string? FindOnPath(string name, string? pathVariable)
    {
        if (string.IsNullOrEmpty(pathVariable))
        {
            return null;
        }

        foreach (var folder in pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows()
        || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
