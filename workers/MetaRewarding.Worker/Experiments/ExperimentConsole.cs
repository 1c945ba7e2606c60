using System.Diagnostics;
using System.Globalization;

namespace MetaRewarding.Worker.Experiments;

/// <summary>
/// The quiet console of <c>demo</c> and <c>experiment</c> (docs/SANDBOX.md, "Running it"): one time-stamped line per
/// phase and per finished iteration, never the same line twice, and — only when attached to a terminal — one
/// progress bar, redrawn in place with a carriage return. Written to anything else (a file, a pipe, a test) the
/// output has no control characters at all.
/// </summary>
public sealed class ExperimentConsole(TextWriter output, bool isTerminal)
{
    private const int BarWidth = 24;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly HashSet<string> printed = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private int barLength;

    /// <summary>True when <paramref name="output"/> is this process's own console and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>Prints <paramref name="text"/> with the elapsed time, unless exactly this line was printed before.</summary>
    public void Line(string text)
    {
        lock (gate)
        {
            if (!printed.Add(text))
            {
                return;
            }

            ClearBar();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed:mm\\:ss}] {text}"));
            output.Flush();
        }
    }

    /// <summary>A line that may legitimately repeat (a heading, a table): printed as is.</summary>
    public void Text(string text)
    {
        lock (gate)
        {
            ClearBar();
            output.Write(text);
            output.Flush();
        }
    }

    /// <summary>Redraws the progress bar (terminal only): <c>label [#####-----] done/total detail</c>.</summary>
    public void Progress(string label, long done, long total, string detail = "")
    {
        if (!isTerminal || total <= 0)
        {
            return;
        }

        var filled = (int)Math.Clamp(done * BarWidth / total, 0, BarWidth);
        var text = string.Create(CultureInfo.InvariantCulture, $"{label} [{new string('#', filled)}{new string('-', BarWidth - filled)}] {done}/{total} {detail}").TrimEnd();
        lock (gate)
        {
            output.Write('\r' + text.PadRight(barLength));
            barLength = text.Length;
            output.Flush();
        }
    }

    private void ClearBar()
    {
        if (barLength > 0)
        {
            output.Write('\r' + new string(' ', barLength) + '\r');
            barLength = 0;
        }
    }
}
