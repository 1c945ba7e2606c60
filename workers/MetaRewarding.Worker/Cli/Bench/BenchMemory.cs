using System.Diagnostics;
using System.Globalization;
using MetaRewarding.Modeling.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaRewarding.Worker.Cli.Bench;

/// <summary>
/// What the training benchmarks measure besides time: the growth of peak memory over a workload (CPU: the kernel's
/// peak resident set, VmHWM, reset through /proc/self/clear_refs just before; on a GPU the script polls nvidia-smi,
/// since TorchSharp exposes no CUDA allocator statistics) and the peak FLOP/s of a large matmul in this process.
/// </summary>
internal static class BenchMemory
{
    /// <summary>Resets the process's peak RSS to its current RSS (Linux) and returns that RSS in bytes, or null elsewhere.</summary>
    public static long? ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return StatusBytes("VmRSS:");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Peak RSS now minus <paramref name="before"/>: what the workload added at its peak.</summary>
    public static long? PeakGrowthBytes(long? before) => before is { } start && StatusBytes("VmHWM:") is { } peak ? peak - start : null;

    /// <summary>Waits for the device's queued work (a scalar read synchronises CUDA).</summary>
    public static void Synchronize(LlamaForCausalLM model)
    {
        if (model.Device.type == DeviceType.CUDA)
        {
            using var probe = model.BaseParameters()[0].Parameter.sum();
            _ = probe.item<float>();
        }
    }

    /// <summary>
    /// FLOP/s of the best of five square matmuls: 2048³ fp32 on CPU (docs/ENVIRONMENT.md's reference figure), 8192³ in
    /// the compute dtype on a GPU.
    /// </summary>
    public static double MatmulPeakFlops(Device device, ScalarType dtype)
    {
        var cuda = device.type == DeviceType.CUDA;
        var n = cuda ? 8192 : 2048;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var a = randn([n, n], cuda ? dtype : ScalarType.Float32, device);
        var b = randn([n, n], cuda ? dtype : ScalarType.Float32, device);
        _ = a.matmul(b).sum().item<float>();
        var best = double.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            var product = a.matmul(b);
            _ = product[0, 0].item<float>();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            product.Dispose();
        }

        return 2.0 * n * n * n / best;
    }

    private static long? StatusBytes(string field)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? null : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
