using System.Text.Json;
using MetaRewarding.Activities.Artifacts;

namespace MetaRewarding.Activities.Reports;

/// <summary>report.json's serialisation: the store's one artifact casing (<see cref="ArtifactJson"/>); nulls are written, so a missing figure is visible as null.</summary>
public static class RunReportJson
{
    public static JsonSerializerOptions Options => ArtifactJson.Options;

    public static string Serialize(RunReport report) => JsonSerializer.Serialize(report, Options) + "\n";

    /// <summary>Reads a report.json (the CLI's <c>report</c> verb).</summary>
    /// <exception cref="InvalidDataException">The file is not a report; the message names it.</exception>
    public static RunReport Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RunReport>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"{path} holds JSON null, not a run report.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a run report ({e.Message}); it is written by the WriteReport activity as runs/{{id}}/report.json.", e);
        }
    }
}
