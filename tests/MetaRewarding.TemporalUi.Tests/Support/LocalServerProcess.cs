using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using MetaRewarding.TestSupport;

namespace MetaRewarding.TemporalUi.Tests.Support;

/// <summary>
/// <c>metarewarding local-server --port 0 --ui-port 0</c> as a child process, exactly as a user runs it: the gRPC
/// address and the Web UI's URL are read from what it prints. Killed (with its children) when disposed.
/// </summary>
public sealed partial class LocalServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private LocalServerProcess(Process process) => this.process = process;

    public string Target { get; private set; } = "";

    public Uri Ui { get; private set; } = null!;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static async Task<LocalServerProcess> StartAsync()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { RepositoryPaths.WorkerDll, "local-server", "--port", "0", "--ui-port", "0" })
        {
            info.ArgumentList.Add(argument);
        }
        var server = new LocalServerProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet"));
        var target = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ui = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (server.output)
            {
                server.output.AppendLine(line);
            }
            if (Listening().Match(line) is { Success: true } listening)
            {
                target.TrySetResult(listening.Groups[1].Value);
            }
            if (WebUi().Match(line) is { Success: true } web)
            {
                ui.TrySetResult(new Uri(web.Groups[1].Value));
            }
            if (line.Contains("Temporal Web UI NOT available", StringComparison.Ordinal))
            {
                ui.TrySetException(new InvalidOperationException(line));
            }
        }
        server.process.OutputDataReceived += (_, e) => OnLine(e.Data);
        server.process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        try
        {
            var started = Task.WhenAll(target.Task, ui.Task);
            await started.WaitAsync(TimeSpan.FromMinutes(2));
            server.Target = await target.Task;
            server.Ui = await ui.Task;
            return server;
        }
        catch (Exception e)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"local-server did not come up with a Web UI ({e.Message}); it printed:\n{server.Output}", e);
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

    [GeneratedRegex(@"listening on (127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"Temporal Web UI: (http://localhost:\d+/)")]
    private static partial Regex WebUi();
}
