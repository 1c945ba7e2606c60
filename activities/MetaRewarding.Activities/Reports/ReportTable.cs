using System.Globalization;
using System.Text;

namespace MetaRewarding.Activities.Reports;

/// <summary>
/// The report as a fixed-width text table (the CLI's <c>demo</c> and <c>report</c> verbs print it): one line per
/// checkpoint, seed first; "-" where a figure was not measured.
/// </summary>
public static class ReportTable
{
    private static readonly (string Header, Func<ReportRow, string> Cell)[] Columns =
    [
        ("checkpoint", r => r.Index == 0 ? "seed" : $"iteration {r.Index}"),
        ("judge", r => r.TrainedJudge switch { true => "yes", false => "no", null => "-" }),
        ("actor pairs", r => Count(r.ActorPairs)),
        ("judge pairs", r => Count(r.JudgePairs)),
        ("invalid judg.", r => Percent(r.InvalidJudgmentRate)),
        ("trunc. resp.", r => Percent(r.TruncatedResponseRate)),
        ("trunc. judg.", r => Percent(r.TruncatedJudgmentRate)),
        ("mean chars", r => Number(r.MeanResponseChars, "F1")),
        ("DPO loss", r => Number(r.DpoLoss, "F4")),
        ("pair prec.", r => Percent(r.ActorPairPrecision)),
        ("actor acc.", r => Percent(r.ActorAccuracy)),
        ("sampled acc.", r => Percent(r.ActorSampledAccuracy)),
        ("pass@k", r => Percent(r.PassAtK)),
        ("judge catch", r => Percent(r.JudgeCatchRate)),
        ("judge agree", r => Percent(r.JudgeAgreement)),
        ("judge rho", r => Number(r.JudgeSpearman, "F3")),
        ("meta acc.", r => Percent(r.MetaJudgeAccuracy)),
        ("meta pos.A", r => Percent(r.OnPolicyMetaJudgePositionARate ?? r.MetaJudgePositionARate)),
        ("meta higher", r => Percent(r.OnPolicyMetaJudgeHigherScoreRate ?? r.MetaJudgeHigherScoreRate)),
    ];

    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = report.Rows().Select(row => Columns.Select(c => c.Cell(row)).ToArray()).ToList();
        var widths = Columns.Select((c, i) => Math.Max(c.Header.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        text.Append("Run ").Append(report.RunId).Append(" (lengths in ").Append(report.LengthUnit).Append(")\n");
        AppendLine(text, Columns.Select(c => c.Header).ToArray(), widths);
        AppendLine(text, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in rows)
        {
            AppendLine(text, row, widths);
        }

        return text.ToString();
    }

    private static void AppendLine(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                text.Append("  ");
            }

            // The first column reads as a label (left-aligned); figures line up on the right.
            text.Append(i == 0 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]));
        }

        text.Append('\n');
    }

    private static string Count(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static string Percent(double? value) => value is { } v ? (v * 100).ToString("F1", CultureInfo.InvariantCulture) + "%" : "-";

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}
