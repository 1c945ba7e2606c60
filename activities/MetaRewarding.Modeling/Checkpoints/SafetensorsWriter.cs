using System.Text;
using System.Text.Json.Nodes;
using static TorchSharp.torch;
using MetaRewarding.Files;

namespace MetaRewarding.Modeling.Checkpoints;

/// <summary>Writes .safetensors files in the layout the Python <c>safetensors</c> package reads (8-byte aligned header).</summary>
public static class SafetensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (any device/dtype; each is copied to CPU, contiguous, as is) to
    /// <paramref name="path"/> through a temporary file and a rename, so a crash never leaves a half-written file
    /// under the final name.
    /// </summary>
    public static void Write(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (key, value) in metadata)
            {
                meta[key] = value;
            }
            header["__metadata__"] = meta;
        }
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            var size = tensor.numel() * SafetensorsDtype.ElementSize(tensor.dtype);
            header[name] = new JsonObject
            {
                ["dtype"] = SafetensorsDtype.ToName(tensor.dtype),
                ["shape"] = new JsonArray(tensor.shape.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + size),
            };
            offset += size;
        }
        var headerText = header.ToJsonString();
        // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
        var padding = (8 - Encoding.UTF8.GetByteCount(headerText) % 8) % 8;
        var headerBytes = Encoding.UTF8.GetBytes(headerText + new string(' ', padding));

        AtomicFile.Write(path, stream =>
        {
            stream.Write(BitConverter.GetBytes((long)headerBytes.Length));
            stream.Write(headerBytes);
            foreach (var (_, tensor) in tensors)
            {
                using var cpu = tensor.detach().cpu().contiguous();
                TensorBytes.Write(cpu, stream);
            }
        });
    }
}
