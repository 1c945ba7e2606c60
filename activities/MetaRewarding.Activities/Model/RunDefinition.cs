using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Run;
using MetaRewarding.Activities.Sources;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Templates;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// The validated run as the model activities need it, read back from <c>runs/{id}/run.json</c> (never from the
/// payload, which carries only the reference): the input and its run source (<see cref="IRunSource"/>: templates,
/// caps, seed, evaluation, oracle), which the activities use without asking which kind of run it is.
/// </summary>
public sealed record RunDefinition(RunInput Input, IRunSource Source)
{
    public RunConfiguration Configuration => Input.Configuration;

    /// <summary>The templates the run's models see (the source's).</summary>
    public PromptTemplates Templates => Source.Templates;

    /// <summary>Reads and checks the run snapshot <paramref name="run"/> (the CPU activities' <see cref="RunSnapshotFile"/> format).</summary>
    /// <exception cref="ArtifactMissingException">run.json is gone or changed.</exception>
    /// <exception cref="ConfigurationException">It does not describe a usable run.</exception>
    public static RunDefinition Load(ArtifactStore store, ArtifactRef run) => FromInput(RunSnapshotFile.Read(store, run));

    /// <summary>The definition of <paramref name="input"/>: the same source (and templates) pair building uses.</summary>
    public static RunDefinition FromInput(RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new RunDefinition(input, RunSources.For(input));
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
