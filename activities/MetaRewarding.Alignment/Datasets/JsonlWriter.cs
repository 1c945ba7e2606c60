using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MetaRewarding.Alignment.Datasets;

/// <summary>Writes records to a stream as JSONL: one compact JSON object per line, UTF-8, '\n' line ends.</summary>
public sealed class JsonlWriter<T> : IDisposable
    where T : class
{
    // Relaxed escaping writes non-ASCII text as UTF-8 (not \uXXXX): files stay readable and a third smaller for
    // non-English text. Safe here: JSONL files are data, never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Stream _stream;
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly Utf8JsonWriter _json;
    private readonly bool _ownsStream;

    public JsonlWriter(Stream stream, JsonTypeInfo<T> typeInfo, bool ownsStream = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(typeInfo);
        _stream = new BufferedStream(stream, 1 << 16);
        _typeInfo = typeInfo;
        _json = new Utf8JsonWriter(_stream, WriterOptions);
        _ownsStream = ownsStream;
        Inner = stream;
    }

    /// <summary>Records written so far.</summary>
    public long Count { get; private set; }

    private Stream Inner { get; }

    /// <summary>Appends one record as one line.</summary>
    public void Write(T record)
    {
        JsonSerializer.Serialize(_json, record, _typeInfo);
        _json.Flush();
        _json.Reset();
        _stream.WriteByte((byte)'\n');
        Count++;
    }

    /// <summary>Flushes buffered lines to the underlying stream.</summary>
    public void Flush()
    {
        _json.Flush();
        _stream.Flush();
    }

    public void Dispose()
    {
        Flush();
        _json.Dispose();
        if (_ownsStream)
        {
            Inner.Dispose();
        }
    }
}
