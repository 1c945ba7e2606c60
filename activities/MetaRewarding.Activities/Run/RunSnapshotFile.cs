using System.Text.Json;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Sources;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Templates;

namespace MetaRewarding.Activities.Run;

/// <summary>
/// <c>runs/{id}/run.json</c>: the validated <see cref="RunInput"/>, written with the configuration file's JSON
/// options (camelCase, enums as strings, every field written) so that it reads back to an equal run and a person
/// can copy its <c>configuration</c> into a new configuration file.
/// </summary>
public static class RunSnapshotFile
{
    public const string FileName = "run.json";

    /// <summary>The snapshot's text: deterministic, so two equal inputs give byte-identical files.</summary>
    public static string Serialize(RunInput input) => JsonSerializer.Serialize(input, RunConfigurationJson.Options) + "\n";

    /// <summary>Reads the run snapshot <paramref name="run"/> back (after checking its hash).</summary>
    /// <exception cref="ArtifactMissingException">run.json is gone or changed.</exception>
    /// <exception cref="ConfigurationException">It is not a run snapshot.</exception>
    public static RunInput Read(ArtifactStore store, ArtifactRef run)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Parse(File.ReadAllText(store.Resolve(run)), run.Path);
    }

    /// <summary>Parses a snapshot's text; <paramref name="source"/> names it in errors.</summary>
    public static RunInput Parse(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<RunInput>(json, RunConfigurationJson.Options)
                ?? throw new ConfigurationException($"{source} holds JSON null instead of a run; run PrepareRun again for this run.");
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{source} is not a run snapshot ({e.Message}); run PrepareRun again for this run.", e);
        }
    }

    /// <summary>
    /// The templates the run's models see, from its run source: the sandbox's compact ones for a sandbox run,
    /// otherwise the built-in ones overridden by the configuration's template files (absolute paths, as PrepareRun requires).
    /// </summary>
    public static PromptTemplates Templates(RunInput input) => RunSources.For(input).Templates;
}
