using TorchSharp;

namespace MetaRewarding.Modeling.Native;

/// <summary>
/// One place that loads libtorch and sets its thread count. The native library itself loads thanks to the
/// GLIBCXX patch in the repo-root Directory.Build.targets (applied to every build/publish output).
/// </summary>
public static class TorchRuntime
{
    /// <summary>The build machines have two cores shared by every process; more threads only thrash.</summary>
    public const int DefaultThreads = 2;

    private static readonly Lock Gate = new();
    private static bool _initialized;

    /// <summary>Loads libtorch (first call) and limits its intra-op threads. Safe to call many times.</summary>
    public static void Initialize(int threads = DefaultThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        lock (Gate)
        {
            if (_initialized)
            {
                return;
            }
            torch.InitializeDeviceType(DeviceType.CPU);
            torch.set_num_threads(threads);
            _initialized = true;
        }
    }
}
