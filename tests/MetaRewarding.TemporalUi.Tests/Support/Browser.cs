using System.Diagnostics;
using System.Text.Json;

namespace MetaRewarding.TemporalUi.Tests.Support;

/// <summary>
/// Runs a check of browser/temporal-ui.mjs: node drives Debian's headless Chromium (/usr/bin/chromium, installed by
/// .ci/run) through the UI with playwright-core, pinned by browser/package-lock.json and installed with `npm ci`
/// when missing. A missing browser or node is a failure that says how to install it, never a skip.
/// </summary>
public static class Browser
{
    public static string Chromium => Environment.GetEnvironmentVariable("METAREWARDING_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    private static readonly Lazy<string?> Installed = new(Install);

    /// <summary>Runs <paramref name="check"/> with <paramref name="options"/> (screenshot: TestResults/temporal-ui/NAME.png); the parsed result line (ok, error, seen, ...).</summary>
    public static async Task<JsonElement> RunAsync(string check, Dictionary<string, object?> options, TimeSpan timeout, string? screenshot = null)
    {
        if (Installed.Value is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        options["chromium"] = Chromium;
        options["screenshot"] = Path.Combine(UiPaths.Screenshots, $"{screenshot ?? check}.png");
        var info = new ProcessStartInfo("node") { WorkingDirectory = UiPaths.BrowserFolder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("temporal-ui.mjs");
        info.ArgumentList.Add(check);
        info.ArgumentList.Add(JsonSerializer.Serialize(options));
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"browser check {check} did not finish within {timeout}: {await stderr}");
        }
        var last = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"browser check {check} printed nothing (exit {process.ExitCode}): {await stderr}");
        using var document = JsonDocument.Parse(last);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts the check passed, showing the browser's error, URL and page text when it did not.</summary>
    public static void AssertOk(JsonElement result)
    {
        if (!result.GetProperty("ok").GetBoolean())
        {
            Assert.Fail($"{result.GetProperty("error")}\nat {(result.TryGetProperty("url", out var url) ? url : "")}\npage: {(result.TryGetProperty("page", out var page) ? page : "")}");
        }
    }

    private static string? Install()
    {
        if (!File.Exists(Chromium))
        {
            return $"no Chromium at {Chromium}: install Debian's with `apt-get install -y chromium` (.ci/run does), or set METAREWARDING_CHROMIUM";
        }
        if (File.Exists(Path.Combine(UiPaths.BrowserFolder, "node_modules", "playwright-core", "package.json")))
        {
            return null;
        }
        var info = new ProcessStartInfo("npm") { WorkingDirectory = UiPaths.BrowserFolder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            info.ArgumentList.Add(argument);
        }
        try
        {
            using var npm = Process.Start(info)!;
            var errors = npm.StandardError.ReadToEndAsync();
            npm.StandardOutput.ReadToEnd();
            npm.WaitForExit();
            return npm.ExitCode == 0 ? null : $"`npm ci` in {UiPaths.BrowserFolder} failed ({npm.ExitCode}): {errors.Result}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"npm is not on PATH ({e.Message}): the browser tests need Node.js >= 18 with npm";
        }
    }
}
