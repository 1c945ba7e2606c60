using System.Text.Json;
using System.Text.Json.Nodes;
using MetaRewarding.Files;

namespace MetaRewarding.Worker.Cli.Engine;

/// <summary>One object line of a JSONL input, with <c>file:line</c> for messages.</summary>
internal sealed record JsonlObject(JsonObject Json, string Where);

/// <summary>
/// The engine verbs' JSONL files: every non-blank line a JSON object, read whole (so a bad line fails before any model
/// time is spent) and written back atomically (a temp file renamed over the output), input fields kept as they were.
/// </summary>
internal static class JsonlObjects
{
    /// <summary>The object lines of <paramref name="path"/>; a missing or empty file or a bad line is a <see cref="CliInputException"/>.</summary>
    public static List<JsonlObject> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliInputException($"input file '{path}' does not exist.");
        }

        var lines = new List<JsonlObject>();
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var where = $"{path}:{number}";
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new CliInputException($"{where}: not valid JSON ({e.Message}).");
            }

            lines.Add(new JsonlObject(node as JsonObject ?? throw new CliInputException($"{where}: each line must be a JSON object."), where));
        }

        return lines.Count > 0 ? lines : throw new CliInputException($"{path}: no lines to process (the file is empty).");
    }

    /// <summary>Writes <paramref name="lines"/> to <paramref name="path"/> through a temp file in the same folder, so a reader never sees half a file.</summary>
    public static void WriteAtomically(string path, IEnumerable<JsonObject> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            foreach (var line in lines)
            {
                writer.Write(line.ToJsonString());
                writer.Write('\n');
            }
        });
    }

    /// <summary>A list of non-negative integer token ids under <paramref name="key"/>.</summary>
    public static int[] Ids(JsonlObject line, string key)
    {
        if (line.Json[key] is not JsonArray array)
        {
            throw new CliInputException($"{line.Where}: \"{key}\" must be an array of integer token ids.");
        }

        var ids = new int[array.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            if (array[i] is not JsonValue value || !value.TryGetValue(out ids[i]) || ids[i] < 0)
            {
                throw new CliInputException($"{line.Where}: \"{key}\"[{i}] is not a non-negative integer token id.");
            }
        }

        return ids;
    }

    /// <summary>The string under <paramref name="key"/>, or null when the line has none.</summary>
    public static string? Text(JsonlObject line, string key) =>
        line.Json[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
