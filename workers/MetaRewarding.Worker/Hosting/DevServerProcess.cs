using System.Diagnostics;
using System.Net.Sockets;
using MetaRewarding.Workflows;

namespace MetaRewarding.Worker.Hosting;

/// <summary>
/// <c>temporal server start-dev</c> as a child process: SQLite in memory, the web UI on port 8233, and the
/// project's search attributes registered at start. Stopped (with its children) when disposed.
/// </summary>
public sealed class DevServerProcess : IAsyncDisposable
{
    public const int UiPort = 8233;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;

    private DevServerProcess(Process process) => this.process = process;

    /// <summary>The arguments given to the <c>temporal</c> executable.</summary>
    public static IReadOnlyList<string> Arguments(string @namespace, int port) =>
    [
        "server", "start-dev",
        "--ip", "127.0.0.1",
        "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--ui-port", UiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--namespace", @namespace,
        "--search-attribute", $"{RunSearchAttributes.Iteration.Name}=Int",
        "--search-attribute", $"{RunSearchAttributes.Phase.Name}=Keyword",
    ];

    /// <summary>Starts the dev server and waits until its frontend port accepts connections.</summary>
    public static async Task<DevServerProcess> StartAsync(string executable, string @namespace, int port, CancellationToken ct)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(@namespace, port))
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        // Drain stdout so the child never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var server = new DevServerProcess(process);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await AcceptsAsync(port, ct))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                string text;
                lock (errors)
                {
                    text = errors.ToString().Trim();
                }

                throw new InvalidOperationException(
                    $"`{executable} {string.Join(' ', Arguments(@namespace, port))}` did not start listening on port {port} "
                    + $"({(process.HasExited ? $"exited with {process.ExitCode}" : "timed out")}): {text}. "
                    + "Is the port in use? Pass --temporal HOST:PORT to use a running server instead.");
            }

            await Task.Delay(200, ct);
        }

        return server;
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
