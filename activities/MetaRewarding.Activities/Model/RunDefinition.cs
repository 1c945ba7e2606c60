using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Run;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Templates;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// The validated run as the model activities need it, read back from <c>runs/{id}/run.json</c> (never from the
/// payload, which carries only the reference): the input, its templates (the sandbox's compact ones for a
/// sandbox run) and, for a sandbox run, the sandbox's data settings.
/// </summary>
public sealed record RunDefinition(RunInput Input, PromptTemplates Templates, SandboxSettings? Sandbox)
{
    public RunConfiguration Configuration => Input.Configuration;

    public bool IsSandbox => Sandbox is not null;

    /// <summary>Reads and checks the run snapshot <paramref name="run"/> (the CPU activities' <see cref="RunSnapshotFile"/> format).</summary>
    /// <exception cref="ArtifactMissingException">run.json is gone or changed.</exception>
    /// <exception cref="ConfigurationException">It does not describe a usable run.</exception>
    public static RunDefinition Load(ArtifactStore store, ArtifactRef run) => FromInput(RunSnapshotFile.Read(store, run));

    /// <summary>The definition of <paramref name="input"/>: the same templates pair building renders with.</summary>
    public static RunDefinition FromInput(RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new RunDefinition(input, RunSnapshotFile.Templates(input), input.Sandbox is { } options ? SandboxSettingsOf(options) : null);
    }

    /// <summary>The sandbox's data settings for <paramref name="options"/>: its task family's defaults.</summary>
    public static SandboxSettings SandboxSettingsOf(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.TryParse<TaskFamily>(options.TaskFamily, ignoreCase: true, out var family) || !Enum.IsDefined(family))
        {
            throw new ConfigurationException(
                $"sandbox.taskFamily must be one of {string.Join(", ", Enum.GetNames<TaskFamily>().Select(n => n.ToLowerInvariant()))}, got '{options.TaskFamily}'");
        }

        return SandboxSettings.For(family);
    }

    /// <summary>Iteration <paramref name="iteration"/>'s settings (1-based).</summary>
    public IterationSettings Iteration(int iteration)
    {
        if (iteration < 1 || iteration > Configuration.Iterations.Count)
        {
            throw new ConfigurationException($"iteration {iteration} is not in this run's schedule (1–{Configuration.Iterations.Count}).");
        }

        return Configuration.Iterations[iteration - 1];
    }
}
