using System.Globalization;
using System.Text;

namespace MetaRewarding.Worker.Experiments;

/// <summary>
/// The experiment as text (what <c>demo</c> and <c>experiment</c> print and README quotes): per checkpoint each
/// arm's greedy accuracy with its 95% interval and sampled accuracy, the own judge's gain as a fraction of the
/// oracle's; then per arm the diagnostics that explain it (judge catch rate, meta-judge accuracy, pair precision,
/// truncation, DPO steps); then the verdict.
/// </summary>
public static class ExperimentTable
{
    public static string Render(ExperimentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        var seeds = report.LoopSeeds.Count == 1 ? "1 loop seed" : $"means over {report.LoopSeeds.Count} loop seeds";
        text.AppendLine(CultureInfo.InvariantCulture, $"Experiment {report.Id} ({seeds}; accuracy on held-out tasks, [95% bootstrap interval over distinct tasks])");
        var indices = report.Summary.Select(p => p.Index).Distinct().Order().ToList();
        var header = new List<string> { "checkpoint" };
        foreach (var arm in report.Arms)
        {
            header.Add($"{arm} greedy");
            header.Add("sampled");
        }

        header.Add("own/oracle gain");
        var rows = new List<string[]>();
        foreach (var index in indices)
        {
            var row = new List<string> { index == 0 ? "seed" : $"iteration {index}" };
            foreach (var arm in report.Arms)
            {
                var point = report.Summary.FirstOrDefault(p => p.Arm == arm && p.Index == index);
                row.Add(point is null ? "-" : $"{F(point.Greedy)} [{F(point.GreedyLow)}, {F(point.GreedyHigh)}]");
                row.Add(point is null ? "-" : F(point.Sampled));
            }

            var gain = report.GainFraction.FirstOrDefault(g => g.Iteration == index);
            row.Add(gain?.Mean is { } m ? (m * 100).ToString("F0", CultureInfo.InvariantCulture) + "%" : "-");
            rows.Add([.. row]);
        }

        Append(text, [.. header], rows);
        text.AppendLine();
        text.AppendLine("Per arm (means): judge catch rate on own failed samples, meta-judge accuracy where sampled judges disagree, actor/judge pair precision against the truth, truncation, DPO steps (actor + judge pairs)");
        var diagnostics = new List<string[]>();
        foreach (var arm in report.Arms)
        {
            foreach (var point in report.Summary.Where(p => p.Arm == arm).OrderBy(p => p.Index))
            {
                diagnostics.Add(
                [
                    arm, point.Index == 0 ? "seed" : $"it. {point.Index}", F(point.JudgeCatchRate), F(point.MetaJudgeAccuracy),
                    F(point.ActorPairPrecision), F(point.JudgePairPrecision), F(point.TruncationRate),
                    point.DpoSteps is { } steps ? steps.ToString("F0", CultureInfo.InvariantCulture) : "-",
                    point.ActorPairs is { } a ? $"{a:F0} + {point.JudgePairs ?? 0:F0}" : "-",
                ]);
            }
        }

        Append(text, ["arm", "checkpoint", "judge catch", "meta acc.", "actor pair prec.", "judge pair prec.", "truncated", "DPO steps", "pairs"], diagnostics);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Labelled seed examples per role: {string.Join(", ", report.LabelledExamples.Select(p => $"{p.Key} {p.Value}"))}");
        foreach (var failure in report.Failures)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"FAILED {failure}");
        }

        text.AppendLine(report.Verdict);
        return text.ToString();
    }

    private static string F(double? value) => value?.ToString("F3", CultureInfo.InvariantCulture) ?? "-";

    private static void Append(StringBuilder text, string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        void Line(string[] cells) => text.AppendLine(string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd());
        Line(header);
        Line([.. widths.Select(w => new string('-', w))]);
        rows.ForEach(Line);
    }
}
