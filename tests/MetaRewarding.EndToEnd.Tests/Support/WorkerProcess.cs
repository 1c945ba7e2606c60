using System.Diagnostics;
using System.Text;
using MetaRewarding.TestSupport;

namespace MetaRewarding.EndToEnd.Tests.Support;

/// <summary>
/// <c>dotnet metarewarding.dll worker</c> as a separate process connected to the test's server, so a test can kill
/// it with SIGKILL exactly as a crashed machine would die: no drain, no final heartbeat. Its output is kept for
/// the test's failure message.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder log;

    private WorkerProcess(Process process, StringBuilder log)
    {
        this.process = process;
        this.log = log;
    }

    public bool HasExited => process.HasExited;

    /// <summary>Everything the worker wrote so far (stdout and stderr interleaved).</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public static WorkerProcess Start(string temporalTarget, string artifacts, string name) =>
        Launch(["--temporal", temporalTarget, "--artifacts", artifacts, "--queues", "cpu,gpu"], new Dictionary<string, string>(), name);

    /// <summary>
    /// A worker that runs its own in-process server (no --temporal) on <paramref name="port"/>, keeping the server's state
    /// in <paramref name="database"/>: one process holding both, as the demo does. Started again with the same arguments
    /// after a kill, it continues from the database.
    /// </summary>
    public static WorkerProcess StartWithOwnServer(string artifacts, int port, string database, string name) =>
        Launch(["--artifacts", artifacts, "--queues", "cpu,gpu"], new Dictionary<string, string>
        {
            ["METAREWARDING_Temporal__LocalPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["METAREWARDING_Temporal__UiPort"] = "0",
            ["METAREWARDING_Temporal__DatabaseFile"] = database,
            ["TEMPORAL_ADDRESS"] = "",
        }, name);

    private static WorkerProcess Launch(string[] arguments, Dictionary<string, string> environment, string name)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { RepositoryPaths.WorkerDll, "worker" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // A killed worker never drains; a stopped one (end of test) need not wait long.
        start.Environment["METAREWARDING_Worker__GracefulShutdownSeconds"] = "2";
        var log = new StringBuilder();
        var process = new Process { StartInfo = start };
        void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (log)
            {
                log.Append('[').Append(name).Append("] ").AppendLine(line);
            }
        }

        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {start.FileName} {string.Join(' ', start.ArgumentList)}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(process, log);
    }

    /// <summary>SIGKILL to the worker and any child it started, then waits until it is gone.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }
}
