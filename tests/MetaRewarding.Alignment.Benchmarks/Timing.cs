using System.Diagnostics;

namespace MetaRewarding.Alignment.Benchmarks;

/// <summary>
/// A Stopwatch harness: warm-up runs, then the median of several timed runs. It reports both wall-clock time and
/// the process's CPU time: on a shared, busy machine the wall clock measures the neighbours, while the CPU time of
/// this single-threaded code (with non-concurrent GC) is what it costs on one core.
/// </summary>
internal static class Timing
{
    public static (TimeSpan Wall, TimeSpan Cpu) Median(int warmups, int runs, Action action)
    {
        for (var i = 0; i < warmups; i++)
        {
            action();
        }

        var walls = new List<TimeSpan>();
        var cpus = new List<TimeSpan>();
        var process = Process.GetCurrentProcess();
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            action();
            walls.Add(watch.Elapsed);
            process.Refresh();
            cpus.Add(process.TotalProcessorTime - cpuBefore);
        }

        walls.Sort();
        cpus.Sort();
        return (walls[walls.Count / 2], cpus[cpus.Count / 2]);
    }
}
