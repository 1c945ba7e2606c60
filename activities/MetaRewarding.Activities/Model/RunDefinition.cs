using System.Text.Json;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Templates;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Formats;
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

    /// <summary>Reads and checks the run snapshot <paramref name="run"/>.</summary>
    /// <exception cref="ArtifactMissingException">run.json is gone or changed.</exception>
    /// <exception cref="ConfigurationException">It does not describe a usable run.</exception>
    public static RunDefinition Load(ArtifactStore store, ArtifactRef run)
    {
        ArgumentNullException.ThrowIfNull(store);
        var path = store.Resolve(run);
        RunInput? input;
        try
        {
            input = JsonSerializer.Deserialize<RunInput>(File.ReadAllText(path), RunConfigurationJson.Options);
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{run.Path} is not a run snapshot ({e.Message}); run PrepareRun again for this run.", e);
        }

        if (input is null)
        {
            throw new ConfigurationException($"{run.Path} holds JSON null; run PrepareRun again for this run.");
        }

        return FromInput(input);
    }

    /// <summary>The definition of <paramref name="input"/> (templates loaded from their files for a real run).</summary>
    public static RunDefinition FromInput(RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Sandbox is { } options)
        {
            return new RunDefinition(input, CompactTemplates.Templates, SandboxSettingsOf(options));
        }

        // Paths in run.json are absolute (the CLI resolves them before starting the run).
        return new RunDefinition(input, PromptTemplates.Load(input.Configuration.Templates, Path.GetPathRoot(Environment.CurrentDirectory) ?? "/"), null);
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
