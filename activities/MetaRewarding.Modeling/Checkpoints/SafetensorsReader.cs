using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Checkpoints;

/// <summary>
/// Reads a .safetensors file: an 8-byte little-endian header length, a JSON header
/// (<c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}</c>), then the raw tensor bytes.
/// The header is validated up front so a truncated or corrupt file fails with its name, before any tensor is read.
/// </summary>
public sealed class SafetensorsReader : IDisposable
{
    /// <summary>Headers larger than this are not produced by any real writer; refusing them avoids huge allocations on garbage.</summary>
    private const long MaxHeaderBytes = 100L << 20;

    private readonly FileStream stream;
    private readonly long dataStart;

    private SafetensorsReader(string path, FileStream stream, long dataStart, Dictionary<string, SafetensorsEntry> entries, Dictionary<string, string> metadata)
    {
        Path = path;
        this.stream = stream;
        this.dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    public string Path { get; }
    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public static SafetensorsReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Safetensors file not found: '{path}'.", path);
        }
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> lengthBytes = stackalloc byte[8];
            if (stream.Length < 8)
            {
                throw new InvalidDataException($"{path}: too short to be a safetensors file ({stream.Length} bytes).");
            }
            stream.ReadExactly(lengthBytes);
            var headerLength = BitConverter.ToInt64(lengthBytes);
            if (headerLength <= 0 || headerLength > MaxHeaderBytes || 8 + headerLength > stream.Length)
            {
                throw new InvalidDataException($"{path}: header length {headerLength} is invalid for a file of {stream.Length} bytes (corrupt or not safetensors).");
            }
            var headerBytes = new byte[headerLength];
            stream.ReadExactly(headerBytes);
            var dataStart = 8 + headerLength;
            var (entries, metadata) = ParseHeader(path, headerBytes, stream.Length - dataStart);
            return new SafetensorsReader(path, stream, dataStart, entries, metadata);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads tensor <paramref name="name"/> into a new CPU tensor of its stored dtype.</summary>
    public Tensor Read(string name)
    {
        if (!Entries.TryGetValue(name, out var entry))
        {
            throw new KeyNotFoundException($"{Path}: no tensor named '{name}'.");
        }
        var dtype = SafetensorsDtype.ToScalarType(entry.Dtype, Path);
        var result = empty(entry.Shape, dtype, CPU);
        try
        {
            stream.Position = dataStart + entry.Begin;
            TensorBytes.Fill(result, stream);
        }
        catch
        {
            result.Dispose();
            throw;
        }
        return result;
    }

    public void Dispose() => stream.Dispose();

    private static (Dictionary<string, SafetensorsEntry>, Dictionary<string, string>) ParseHeader(string path, byte[] headerBytes, long dataLength)
    {
        JsonObject header;
        try
        {
            header = JsonNode.Parse(headerBytes) as JsonObject ?? throw new InvalidDataException($"{path}: header is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: header is not valid JSON ({e.Message}).", e);
        }
        var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                if (node is JsonObject meta)
                {
                    foreach (var (key, value) in meta)
                    {
                        metadata[key] = value?.ToString() ?? "";
                    }
                }
                continue;
            }
            entries[name] = ParseEntry(path, name, node, dataLength);
        }
        return (entries, metadata);
    }

    private static SafetensorsEntry ParseEntry(string path, string name, JsonNode? node, long dataLength)
    {
        try
        {
            var dtype = node!["dtype"]!.GetValue<string>();
            var shape = node["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var offsets = node["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var entry = new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
            var expected = entry.ElementCount * SafetensorsDtype.ElementSize(SafetensorsDtype.ToScalarType(dtype, path));
            if (offsets.Length != 2 || entry.Begin < 0 || entry.End > dataLength || entry.End - entry.Begin != expected)
            {
                throw new InvalidDataException(
                    $"{path}: tensor '{name}' has data_offsets [{string.Join(", ", offsets)}] that do not fit its {dtype} shape [{string.Join(", ", shape)}] ({expected} bytes) within {dataLength} data bytes (truncated file?).");
            }
            return entry;
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{path}: header entry '{name}' is malformed (needs dtype, shape, data_offsets).", e);
        }
    }
}
