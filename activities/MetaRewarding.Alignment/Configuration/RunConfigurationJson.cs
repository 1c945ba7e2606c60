using System.Text.Json;
using System.Text.Json.Serialization;
using MetaRewarding.Files;

namespace MetaRewarding.Alignment.Configuration;

/// <summary>
/// Reads and writes a <see cref="RunConfiguration"/> as JSON: camelCase names, enums as camelCase strings
/// (<c>"skipAndCount"</c>), comments and trailing commas allowed when reading. A field the file leaves out keeps
/// its default (the paper's value); an unknown field, a null where a value is required, or a wrong type is an
/// error naming the JSON path and line.
/// </summary>
public static class RunConfigurationJson
{
    /// <summary>The serializer options used for configuration files.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Parses configuration JSON; <paramref name="source"/> names it in error messages (a file path).</summary>
    public static RunConfiguration Parse(string json, string source = "configuration")
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<RunConfiguration>(json, Options)
                ?? throw new ConfigurationException($"{source}: the configuration is JSON null; expected an object such as {{\"seed\": 1, \"iterations\": [...]}}");
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{source}: {Describe(e)}", e);
        }
    }

    /// <summary>Reads a configuration file; a missing file is a <see cref="ConfigurationException"/> saying so.</summary>
    public static RunConfiguration Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ConfigurationException($"configuration file '{full}' does not exist; check the path, or write the paper's defaults to a new file with `metarewarding schedule --init {path}`");
        }

        return Parse(File.ReadAllText(full), full);
    }

    /// <summary>The configuration as indented JSON, every field written (so a saved file documents all settings).</summary>
    public static string Serialize(RunConfiguration configuration) => JsonSerializer.Serialize(configuration, Options);

    /// <summary>Writes the configuration to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static void Save(RunConfiguration configuration, string path)
    {
        AtomicFile.WriteAllText(path, Serialize(configuration) + "\n");
    }

    private static string Describe(JsonException e)
    {
        // STJ's messages already carry the JSON path and line; an unmapped member is the common case worth
        // rewording, because its message names the .NET type rather than the field a user typed.
        var where = $"at {e.Path ?? "$"} (line {(e.LineNumber ?? 0) + 1})";
        var message = e.Message;
        const string unmapped = "could not be mapped to any .NET member";
        if (message.Contains(unmapped, StringComparison.Ordinal))
        {
            var start = message.IndexOf('\'', StringComparison.Ordinal);
            var end = start >= 0 ? message.IndexOf('\'', start + 1) : -1;
            var name = start >= 0 && end > start ? message[(start + 1)..end] : "?";
            return $"unknown field '{name}' {where}; check its spelling against the configuration reference (README), or write a template with `metarewarding schedule --init FILE`";
        }

        if (message.Contains("doesn't allow setting null values", StringComparison.Ordinal))
        {
            return $"null is not allowed {where}; leave the field out to use its default";
        }

        const string converted = "could not be converted to ";
        var convertedAt = message.IndexOf(converted, StringComparison.Ordinal);
        if (convertedAt >= 0)
        {
            var typeName = message[(convertedAt + converted.Length)..];
            var cutType = typeName.IndexOf(". Path:", StringComparison.Ordinal);
            typeName = cutType >= 0 ? typeName[..cutType] : typeName.TrimEnd('.');
            return $"the value {where} must be {Expected(typeName)}";
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return $"{(cut > 0 ? message[..cut] : message)} {where}";
    }

    /// <summary>What a JSON value of the named .NET type looks like, in a user's words.</summary>
    private static string Expected(string typeName)
    {
        var enumType = typeof(RunConfiguration).Assembly.GetType(typeName);
        if (enumType is { IsEnum: true })
        {
            return "one of " + string.Join(", ", Enum.GetNames(enumType).Select(n => $"\"{JsonNamingPolicy.CamelCase.ConvertName(n)}\""));
        }

        return typeName switch
        {
            _ when typeName.Contains("System.Int", StringComparison.Ordinal) => "a whole number",
            _ when typeName.Contains("System.Double", StringComparison.Ordinal) => "a number",
            _ when typeName.Contains("System.Boolean", StringComparison.Ordinal) => "true or false",
            _ when typeName.Contains("System.String", StringComparison.Ordinal) => "a string",
            _ when typeName.Contains("IReadOnlyList", StringComparison.Ordinal) => "an array",
            _ => "a JSON object with the documented fields",
        };
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            WriteIndented = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
