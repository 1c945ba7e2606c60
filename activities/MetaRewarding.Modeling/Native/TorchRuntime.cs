using System.Runtime.InteropServices;
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

    /// <summary>The intra-op thread count <see cref="Initialize"/> set (what <see cref="UseThreads"/> restores).</summary>
    public static int Threads { get; private set; } = DefaultThreads;

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
            PreferSleepingOpenMpThreads();
            torch.InitializeDeviceType(DeviceType.CPU);
            torch.set_num_threads(threads);
            Threads = threads;
            _initialized = true;
        }
    }

    /// <summary>
    /// Gives the work done on the calling thread <paramref name="threads"/> intra-op threads until the scope is
    /// disposed, then restores <see cref="Threads"/>. For a long synchronous step that runs while no other model work
    /// does (a worker's seed SFT): libtorch's OpenMP thread count is per calling thread, but its BLAS thread count is
    /// process-wide, so other threads' matrix products use the wider count meanwhile.
    /// </summary>
    public static IDisposable UseThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Initialize();
        torch.set_num_threads(threads);
        return new ThreadScope();
    }

    private sealed class ThreadScope : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                torch.set_num_threads(Threads);
            }
        }
    }

    /// <summary>
    /// libtorch's OpenMP threads spin between parallel regions by default. When the cores are shared (CI,
    /// parallel builds, several workers on one box) spinning threads steal the time the working thread needs:
    /// measured on the 2-core build machine at load average ~27, a batch-8 decode step of a 3.4M-parameter
    /// model took 195-311 ms with spinning threads and 3.6-3.9 ms with sleeping ones. OMP_WAIT_POLICY is read when libgomp loads, so it must be in the
    /// native environment before the first torch call (.NET's Environment.SetEnvironmentVariable does not
    /// reach it on Linux). A value the user set is kept.
    /// </summary>
    private static void PreferSleepingOpenMpThreads()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = NativeEnvironment.setenv("OMP_WAIT_POLICY", "PASSIVE", overwrite: 0);
        }
    }

    private static class NativeEnvironment
    {
        [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable CA5392, SYSLIB1054 // libc is a system library; a plain DllImport avoids enabling unsafe code for one call.
        internal static extern int setenv(string name, string value, int overwrite);
#pragma warning restore CA5392, SYSLIB1054
    }
}
