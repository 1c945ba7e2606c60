using System.Text.Json;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Activities.Sources;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Activities.Run;

/// <summary>
/// Writes a run's prompt pool (<c>runs/{id}/prompts.jsonl</c>, one <see cref="PromptRecord"/> per line) from its
/// run source (<see cref="IRunSource.WritePromptPool"/>): the sandbox's iteration-split tasks, or the user's JSONL
/// normalised (ids kept or given, bad lines handled per the configured policy). It must hold at least the sum of the iterations' prompt counts, since every iteration takes
/// a disjoint slice.
/// </summary>
public static class PromptPool
{
    /// <summary>Prompts the schedule takes from the pool in all: the sum of the iterations' counts.</summary>
    public static long Required(RunConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.Iterations.Sum(iteration => (long)iteration.Prompts);
    }

    /// <summary>
    /// Writes the pool to <paramref name="output"/> and returns how many prompts it holds.
    /// </summary>
    /// <exception cref="ConfigurationException">Too few prompts, or a bad line under the fatal policy.</exception>
    public static long Write(RunInput input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var writer = new JsonlWriter<PromptRecord>(output, DatasetJsonContext.Default.PromptRecord);
        RunSources.For(input).WritePromptPool(input, Required(input.Configuration), writer.Write);
        writer.Flush();
        return writer.Count;
    }

    /// <summary>
    /// <paramref name="count"/> tasks of the sandbox's iteration split, drawn with the run seed: the same seed gives
    /// the same pool on every machine, and the split keeps them disjoint from the SFT and evaluation tasks. Where the
    /// family has enough tasks (route: millions), every prompt is distinct, so no iteration reuses another's content;
    /// a small family (constraint: 62 iteration tasks) repeats them, as it must.
    /// </summary>
    public static IEnumerable<PromptRecord> SandboxPrompts(SandboxOptions sandbox, long runSeed, long count)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        var source = new TaskSource(RunDefinition.SandboxSettingsOf(sandbox));
        var distinctAvailable = source.DistinctTasks(DatasetSplit.Iteration)?.Count ?? long.MaxValue;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long draw = 0;
        for (long i = 0; i < count; i++)
        {
            ISandboxTask task;
            do
            {
                task = source.Sample(DatasetSplit.Iteration, SandboxRandom.For(runSeed, "iteration-prompts", draw++));
            }
            while (seen.Count < distinctAvailable && !seen.Add(task.Prompt));

            yield return new PromptRecord { Id = $"sandbox-{i:D6}", Prompt = task.Prompt };
        }
    }

    /// <summary>
    /// The user's prompts, one JSON object per line with a non-empty string <c>prompt</c> and an optional
    /// <c>id</c> (string or number; <c>line-{n}</c> when absent). Duplicate ids and other bad lines go to the log.
    /// </summary>
    public static IEnumerable<PromptRecord> UserPrompts(string path, MalformedLineLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var name = Path.GetFileName(path);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var record = ParseLine(line, lineNumber, out var problem);
            if (record is not null && !seen.Add(record.Id))
            {
                problem = $"id '{record.Id}' was already used on an earlier line";
                record = null;
            }

            if (record is null)
            {
                log.Report(name, lineNumber, problem!);
                continue;
            }

            yield return record;
        }
    }

    private static PromptRecord? ParseLine(string line, long lineNumber, out string? problem)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = $"expected a JSON object {{\"id\", \"prompt\"}}, got {root.ValueKind}";
                return null;
            }

            if (!root.TryGetProperty("prompt", out var prompt) || prompt.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(prompt.GetString()))
            {
                problem = "\"prompt\" must be a non-empty string";
                return null;
            }

            string id;
            if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind == JsonValueKind.Null)
            {
                id = $"line-{lineNumber}";
            }
            else if (idElement.ValueKind is JsonValueKind.String && !string.IsNullOrWhiteSpace(idElement.GetString()))
            {
                id = idElement.GetString()!;
            }
            else if (idElement.ValueKind is JsonValueKind.Number)
            {
                id = idElement.GetRawText();
            }
            else
            {
                problem = $"\"id\" must be a non-empty string or a number, got {idElement.GetRawText()}";
                return null;
            }

            problem = null;
            return new PromptRecord { Id = id, Prompt = prompt.GetString()! };
        }
        catch (JsonException e)
        {
            problem = $"not valid JSON ({e.Message})";
            return null;
        }
    }
}
