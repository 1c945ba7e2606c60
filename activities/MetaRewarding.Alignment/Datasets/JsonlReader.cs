using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MetaRewarding.Alignment.Datasets;

/// <summary>
/// Streams records from a JSONL file one line at a time: memory is bounded by the longest line, never the file.
/// Empty lines are allowed (an editor's final newline); any other line that is not a valid record is reported to
/// the <see cref="MalformedLineLog"/> with its file and line number.
/// </summary>
public static class JsonlReader
{
    private const int InitialBufferSize = 1 << 20;

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    public static IEnumerable<JsonlLine<T>> ReadFile<T>(string path, JsonTypeInfo<T> typeInfo, MalformedLineLog log)
        where T : class, IJsonlRecord
    {
        ArgumentNullException.ThrowIfNull(path);
        return ReadFileIterator(path, typeInfo, log);
    }

    /// <summary>Reads records from <paramref name="stream"/>; <paramref name="name"/> names it in messages.</summary>
    public static IEnumerable<JsonlLine<T>> Read<T>(Stream stream, string name, JsonTypeInfo<T> typeInfo, MalformedLineLog log)
        where T : class, IJsonlRecord
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentNullException.ThrowIfNull(log);
        return ReadIterator(stream, name, typeInfo, log);
    }

    private static IEnumerable<JsonlLine<T>> ReadFileIterator<T>(string path, JsonTypeInfo<T> typeInfo, MalformedLineLog log)
        where T : class, IJsonlRecord
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        foreach (var line in ReadIterator(stream, Path.GetFileName(path), typeInfo, log))
        {
            yield return line;
        }
    }

    private static IEnumerable<JsonlLine<T>> ReadIterator<T>(Stream stream, string name, JsonTypeInfo<T> typeInfo, MalformedLineLog log)
        where T : class, IJsonlRecord
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            var start = 0; // first unconsumed byte
            var end = 0; // one past the last byte read
            var lineNumber = 0L;
            var endOfStream = false;
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline < 0 && !endOfStream)
                {
                    // Move the partial line to the front (or grow the buffer for a long line) and read more.
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }

                    if (end == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        Buffer.BlockCopy(buffer, 0, bigger, 0, end);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    var read = stream.Read(buffer, end, buffer.Length - end);
                    if (read == 0)
                    {
                        endOfStream = true;
                    }

                    end += read;
                    continue;
                }

                if (newline < 0 && start == end)
                {
                    yield break;
                }

                var length = newline < 0 ? end - start : newline;
                var line = buffer.AsSpan(start, length);
                start += newline < 0 ? length : length + 1;
                lineNumber++;
                if (lineNumber == 1 && line.StartsWith("\uFEFF"u8))
                {
                    line = line[3..];
                }

                if (line.Trim(" \t\r"u8).IsEmpty)
                {
                    continue;
                }

                var record = ParseLine(line, typeInfo, out var problem);
                if (record is null)
                {
                    log.Report(name, lineNumber, problem!);
                    continue;
                }

                yield return new JsonlLine<T>(record, lineNumber);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static T? ParseLine<T>(ReadOnlySpan<byte> line, JsonTypeInfo<T> typeInfo, out string? problem)
        where T : class, IJsonlRecord
    {
        try
        {
            var record = JsonSerializer.Deserialize(line, typeInfo);
            problem = record is null ? $"the line is JSON null; expected a {typeof(T).Name} object" : record.Problem();
            return problem is null ? record : null;
        }
        catch (JsonException e)
        {
            problem = $"not a valid {typeof(T).Name}: {e.Message}";
            return null;
        }
    }
}
