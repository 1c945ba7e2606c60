using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Checkpoints;

/// <summary>The dtype names of the safetensors format and their torch equivalents.</summary>
public static class SafetensorsDtype
{
    private static readonly (string Name, ScalarType Type, int Size)[] Known =
    [
        ("F32", ScalarType.Float32, 4),
        ("BF16", ScalarType.BFloat16, 2),
        ("F16", ScalarType.Float16, 2),
        ("F64", ScalarType.Float64, 8),
        ("I64", ScalarType.Int64, 8),
        ("I32", ScalarType.Int32, 4),
        ("I16", ScalarType.Int16, 2),
        ("I8", ScalarType.Int8, 1),
        ("U8", ScalarType.Byte, 1),
        ("BOOL", ScalarType.Bool, 1),
    ];

    public static ScalarType ToScalarType(string name, string source) =>
        Known.FirstOrDefault(k => k.Name == name) is { Name: not null } known
            ? known.Type
            : throw new InvalidDataException($"{source}: safetensors dtype '{name}' is not supported; supported: {string.Join(", ", Known.Select(k => k.Name))}.");

    public static string ToName(ScalarType type) =>
        Known.FirstOrDefault(k => k.Type == type) is { Name: not null } known
            ? known.Name
            : throw new NotSupportedException($"dtype {type} cannot be stored in safetensors by this writer.");

    public static int ElementSize(ScalarType type) =>
        Known.FirstOrDefault(k => k.Type == type) is { Name: not null } known
            ? known.Size
            : throw new NotSupportedException($"dtype {type} has no safetensors element size here.");
}
