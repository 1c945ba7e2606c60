using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaRewarding.Activities.Artifacts;

/// <summary>
/// The one JSON casing of the store's JSON artifacts (pair metrics, <c>training.json</c>, evaluations,
/// <c>report.json</c>; docs/DESIGN.md): camelCase, indented, enums as camelCase strings, and NaN/±Infinity written as
/// the strings "NaN"/"Infinity" because rates over empty sets are NaN by definition. Names are read case-insensitively,
/// so files written before the casing was unified (<c>training.json</c> was PascalCase) still read back.
/// </summary>
public static class ArtifactJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            PropertyNameCaseInsensitive = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
