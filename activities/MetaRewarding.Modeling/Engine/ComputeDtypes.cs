using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Engine;

/// <summary>
/// The one spelling of compute dtypes for every entry point (CLI verbs, worker settings, <c>serve</c>):
/// <c>float32</c>/<c>fp32</c>, <c>bfloat16</c>/<c>bf16</c>, <c>float16</c>/<c>fp16</c>, any case.
/// </summary>
public static class ComputeDtypes
{
    /// <summary>The accepted names, as error messages list them.</summary>
    public const string Choices = "float32 (fp32), bfloat16 (bf16) or float16 (fp16)";

    /// <summary>The dtype named by <paramref name="name"/>; <see cref="ArgumentException"/> naming the choices otherwise.</summary>
    public static ScalarType Parse(string name) =>
        TryParse(name, out var dtype) ? dtype : throw new ArgumentException($"compute dtype '{name}' is not supported; use {Choices}.");

    /// <summary>Whether <paramref name="name"/> names a compute dtype, and which (for validation that lists every problem).</summary>
    public static bool TryParse(string? name, out ScalarType dtype)
    {
        ScalarType? parsed = name?.Trim().ToLowerInvariant() switch
        {
            "float32" or "fp32" => ScalarType.Float32,
            "bfloat16" or "bf16" => ScalarType.BFloat16,
            "float16" or "fp16" => ScalarType.Float16,
            _ => null,
        };
        dtype = parsed ?? default;
        return parsed is not null;
    }

    /// <summary>The canonical name of <paramref name="dtype"/> (<c>float32</c>, <c>bfloat16</c>, <c>float16</c>): also the name transformers writes as <c>dtype</c> in config.json.</summary>
    public static string Name(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => throw new ArgumentException($"{dtype} is not a compute dtype; use {Choices}."),
    };
}
