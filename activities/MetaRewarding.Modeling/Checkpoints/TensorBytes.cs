using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Checkpoints;

/// <summary>
/// Moves raw bytes between streams and contiguous CPU tensors. Large tensors go in row blocks so no single span
/// exceeds .NET's 2 GB limit (a 70B model's embedding is over 2 GB in bf16).
/// </summary>
internal static class TensorBytes
{
    internal const long DefaultBlockBytes = 256L << 20;

    public static void Fill(Tensor target, Stream source, long blockBytes = DefaultBlockBytes)
    {
        foreach (var block in Blocks(target, blockBytes))
        {
            using (block)
            {
                var span = block.bytes;
                source.ReadExactly(span);
            }
        }
    }

    public static void Write(Tensor source, Stream target, long blockBytes = DefaultBlockBytes)
    {
        foreach (var block in Blocks(source, blockBytes))
        {
            using (block)
            {
                target.Write(block.bytes);
            }
        }
    }

    /// <summary>Contiguous views along dim 0, each at most <paramref name="blockBytes"/> (or one row, if a row is larger).</summary>
    private static IEnumerable<Tensor> Blocks(Tensor tensor, long blockBytes)
    {
        if (tensor.numel() == 0)
        {
            yield break;
        }
        if (tensor.dim() == 0)
        {
            yield return tensor.reshape(1);
            yield break;
        }
        var rows = tensor.shape[0];
        var rowBytes = tensor.numel() / rows * tensor.element_size();
        var rowsPerBlock = Math.Max(1, blockBytes / Math.Max(1, rowBytes));
        if (rowBytes > int.MaxValue)
        {
            throw new NotSupportedException($"A single row of {rowBytes} bytes is too large to copy (limit {int.MaxValue}).");
        }
        for (long start = 0; start < rows; start += rowsPerBlock)
        {
            yield return tensor.narrow(0, start, Math.Min(rowsPerBlock, rows - start));
        }
    }
}
