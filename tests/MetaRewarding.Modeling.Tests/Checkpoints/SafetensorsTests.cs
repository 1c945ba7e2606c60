using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Native;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Checkpoints;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string workDir = Directory.CreateTempSubdirectory("safetensors-").FullName;

    public SafetensorsTests() => TorchRuntime.Initialize();

    public void Dispose() => Directory.Delete(workDir, recursive: true);

    [Fact]
    public void Write_ThenRead_RoundTripsEveryDtypeBitExact()
    {
        var path = Path.Combine(workDir, "t.safetensors");
        using var f32 = randn(3, 5);
        using var bf16 = randn(4, 2).to_type(ScalarType.BFloat16);
        using var f16 = randn(7).to_type(ScalarType.Float16);
        using var i64 = arange(0, 6, ScalarType.Int64).reshape(2, 3);
        using var scalar = tensor(2.5f);
        var tensors = new List<(string, Tensor)> { ("f32", f32), ("bf16", bf16), ("f16", f16), ("i64", i64), ("scalar", scalar) };

        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        using var reader = SafetensorsReader.Open(path);

        Assert.Equal("pt", reader.Metadata["format"]);
        foreach (var (name, expected) in tensors)
        {
            using var actual = reader.Read(name);
            Assert.Equal(expected.dtype, actual.dtype);
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(expected.equal(actual).all().item<bool>(), name);
        }
        // Data must start 8-byte aligned, as the reference writer guarantees.
        Assert.Equal(0, BitConverter.ToInt64(File.ReadAllBytes(path).AsSpan(0, 8)) % 8);
    }

    [Fact]
    public void Open_GarbageHeader_FailsNamingTheFile()
    {
        var path = Path.Combine(workDir, "bad.safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes(12L), .. "not json!!!!"u8.ToArray()]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_OffsetsBeyondData_FailsAsTruncated()
    {
        var path = Path.Combine(workDir, "short.safetensors");
        var header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}"u8.ToArray();
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)header.Length), .. header, 1, 2, 3, 4]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(path));

        Assert.Contains("'w'", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }
}
