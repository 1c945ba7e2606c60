using System.Text;
using System.Text.Json;

namespace MetaRewarding.Activities.Model.OpenAi;

/// <summary>
/// The samples of a shard already answered by the generation server, one JSON line each, appended as they arrive, so
/// a shard whose worker is lost resumes without sending them again. The first line is the fingerprint of the shard's
/// requests (checkpoint, sampling, prompts, seeds): a journal written for other requests is discarded, never reused. A
/// line cut short by a crash is dropped. It is a work file beside the shard, deleted once the shard is written.
/// </summary>
internal sealed class ShardJournal : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly Lock gate = new();
    private readonly FileStream file;
    private readonly Dictionary<string, SampledCompletion> completed;

    private ShardJournal(string path, FileStream file, Dictionary<string, SampledCompletion> completed)
    {
        Path = path;
        this.file = file;
        this.completed = completed;
    }

    public string Path { get; }

    /// <summary>Samples finished so far, by request id.</summary>
    public IReadOnlyDictionary<string, SampledCompletion> Completed => completed;

    /// <summary>Opens (or starts) the journal at <paramref name="path"/> for requests with <paramref name="fingerprint"/>.</summary>
    public static ShardJournal Open(string path, string fingerprint)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var (entries, goodLength) = Read(file, fingerprint);
            if (entries is null)
            {
                file.SetLength(0);
                var header = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Header(fingerprint), Json) + "\n");
                file.Write(header);
                file.Flush();
                entries = [];
            }
            else
            {
                file.SetLength(goodLength);
            }

            file.Seek(0, SeekOrigin.End);
            return new ShardJournal(path, file, entries);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Records a finished sample (thread-safe); it is on disk, past a crash of this process, when this returns.</summary>
    public void Append(string id, SampledCompletion completion)
    {
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Entry(id, completion.Text, completion.FinishReason), Json) + "\n");
        lock (gate)
        {
            file.Write(line);
            file.Flush();
            completed[id] = completion;
        }
    }

    /// <summary>Closes and deletes the journal (the shard is written).</summary>
    public void Delete()
    {
        file.Dispose();
        File.Delete(Path);
    }

    public void Dispose() => file.Dispose();

    /// <summary>The entries and the length of the complete lines, or null entries when the journal is for other requests.</summary>
    private static (Dictionary<string, SampledCompletion>? Entries, long GoodLength) Read(FileStream file, string fingerprint)
    {
        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        var entries = new Dictionary<string, SampledCompletion>(StringComparer.Ordinal);
        long start = 0;
        var first = true;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', (int)start);
            if (end < 0)
            {
                break; // a line cut short by a crash
            }

            var line = bytes.AsSpan((int)start, (int)(end - start));
            try
            {
                if (first)
                {
                    if (JsonSerializer.Deserialize<Header>(line, Json)?.Fingerprint != fingerprint)
                    {
                        return (null, 0);
                    }

                    first = false;
                }
                else if (JsonSerializer.Deserialize<Entry>(line, Json) is { Id: { } id, Text: { } text, FinishReason: { } } entry)
                {
                    entries[id] = new SampledCompletion(text, entry.FinishReason);
                }
            }
            catch (JsonException)
            {
                break; // a damaged line: keep what precedes it
            }

            start = end + 1;
        }

        return first ? (null, 0) : (entries, start);
    }

    private sealed record Header(string Fingerprint);

    private sealed record Entry(string Id, string Text, string FinishReason);
}
