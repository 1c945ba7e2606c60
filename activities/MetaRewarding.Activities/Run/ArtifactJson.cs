using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaRewarding.Activities.Run;

/// <summary>
/// JSON options for the CPU activities' JSON artifacts (metrics, reports): camelCase, indented, enums as strings,
/// and NaN/±Infinity written as the strings "NaN"/"Infinity" because rates over empty sets are NaN by definition.
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
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
