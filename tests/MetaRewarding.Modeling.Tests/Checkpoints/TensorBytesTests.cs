using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Native;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Checkpoints;

/// <summary>
/// Tensors over 256 MB are copied in row blocks (a .NET span cannot exceed 2 GB). Tiny blocks here exercise the
/// same code path on small tensors: every block must land at its own offset.
/// </summary>
public class TensorBytesTests
{
    public TensorBytesTests() => TorchRuntime.Initialize();

    [Theory]
    [InlineData(8)]   // one 2-float row per block
    [InlineData(24)]  // three rows per block, last block shorter
    [InlineData(1)]   // smaller than a row: still one row per block
    public void WriteThenFill_InRowBlocks_RoundTripsExactly(long blockBytes)
    {
        using var source = arange(0, 14, ScalarType.Float32).reshape(7, 2);
        using var stream = new MemoryStream();

        TensorBytes.Write(source, stream, blockBytes);
        Assert.Equal(source.data<float>().ToArray().SelectMany(BitConverter.GetBytes), stream.ToArray());

        stream.Position = 0;
        using var target = zeros(7, 2);
        TensorBytes.Fill(target, stream, blockBytes);
        Assert.True(target.equal(source).all().item<bool>());
    }
}
