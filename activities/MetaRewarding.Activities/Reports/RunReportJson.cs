using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaRewarding.Activities.Reports;

/// <summary>report.json's serialisation: camelCase, indented, nulls written (a missing figure is visible as null).</summary>
public static class RunReportJson
{
    public static JsonSerializerOptions Options { get; } = Create();

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

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
