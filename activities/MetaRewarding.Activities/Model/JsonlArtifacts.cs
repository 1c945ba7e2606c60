using System.Text.Json.Serialization.Metadata;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;

namespace MetaRewarding.Activities.Model;

/// <summary>JSONL artifacts of the model steps, read and written with Alignment's record types, reader and writer.</summary>
internal static class JsonlArtifacts
{
    /// <summary>Every record of <paramref name="artifact"/> (checked against its hash first), malformed lines per <paramref name="policy"/>.</summary>
    public static List<T> Read<T>(ArtifactStore store, ArtifactRef artifact, JsonTypeInfo<T> typeInfo, MalformedLinePolicy policy)
        where T : class, IJsonlRecord
    {
        var path = store.Resolve(artifact);
        return [.. JsonlReader.ReadFile(path, typeInfo, new MalformedLineLog(policy)).Select(line => line.Record)];
    }

    /// <summary>Writes <paramref name="records"/> atomically to <paramref name="relativePath"/>.</summary>
    public static Task<ArtifactRef> WriteAsync<T>(ArtifactStore store, string relativePath, IEnumerable<T> records, JsonTypeInfo<T> typeInfo, CancellationToken ct)
        where T : class =>
        store.WriteFileAsync(relativePath, (stream, _) =>
        {
            using var writer = new JsonlWriter<T>(stream, typeInfo);
            foreach (var record in records)
            {
                writer.Write(record);
            }

            return Task.CompletedTask;
        }, ct);

    /// <summary><c>iteration-{t}/{folder}/shard-{s:D4}.jsonl</c>.</summary>
    public static string ShardPath(string runId, int iteration, string folder, int shard) =>
        ArtifactStore.RunPath(runId, $"iteration-{iteration}", folder, $"shard-{shard:D4}.jsonl");

    /// <summary>The iteration's prompt slice, <c>iteration-{t}/prompts.jsonl</c> (written by SelectPrompts).</summary>
    public static Dictionary<string, string> IterationPrompts(ArtifactStore store, string runId, int iteration, MalformedLinePolicy policy)
    {
        var path = ArtifactStore.RunPath(runId, $"iteration-{iteration}", "prompts.jsonl");
        var artifact = store.TryGetFile(path)
            ?? throw new ArtifactMissingException(path, null, "no complete prompt slice (SelectPrompts writes it)");
        var prompts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in Read(store, artifact, DatasetJsonContext.Default.PromptRecord, policy))
        {
            prompts.TryAdd(record.Id, record.Prompt);
        }

        return prompts;
    }
}
