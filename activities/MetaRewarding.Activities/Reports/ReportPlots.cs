using ScottPlot;

namespace MetaRewarding.Activities.Reports;

/// <summary>
/// Line charts across the run (x: seed, iteration 1, 2, …), one PNG per theme, drawn with ScottPlot. A series
/// shows the rows where it was measured; a chart none of whose series has a value is left out.
/// </summary>
public static class ReportPlots
{
    public const int Width = 800;
    public const int Height = 500;

    /// <summary>One chart: its file name, title, y-axis label and series (legend name, value of a row).</summary>
    public sealed record Chart(string FileName, string Title, string YLabel, IReadOnlyList<(string Name, Func<ReportRow, double?> Value)> Series);

    /// <summary>The charts of a report.</summary>
    public static IReadOnlyList<Chart> Charts { get; } =
    [
        new("actor.png", "Actor (held-out evaluation)", "accuracy",
        [
            ("greedy accuracy", r => r.ActorAccuracy),
            ("sampled accuracy", r => r.ActorSampledAccuracy),
            ("pass@k", r => r.PassAtK),
        ]),
        new("judge.png", "Judge and meta-judge (held-out evaluation)", "rate / correlation",
        [
            ("judge agreement (exact)", r => r.JudgeAgreement),
            ("judge within one", r => r.JudgeWithinOne),
            ("judge Spearman", r => r.JudgeSpearman),
            ("meta-judge accuracy", r => r.MetaJudgeAccuracy),
        ]),
        new("pairs.png", "Preference pairs per iteration", "pairs",
        [
            ("actor pairs", r => r.ActorPairs),
            ("judge pairs", r => r.JudgePairs),
        ]),
        new("judging.png", "Judging health and meta-judge biases (iteration data)", "rate",
        [
            ("invalid judgment rate", r => r.InvalidJudgmentRate),
            ("meta-judge position-A rate", r => r.OnPolicyMetaJudgePositionARate),
            ("meta-judge higher-score rate", r => r.OnPolicyMetaJudgeHigherScoreRate),
        ]),
        new("response-length.png", "Mean response length", "characters",
        [
            ("mean response chars", r => r.MeanResponseChars),
        ]),
        new("training.png", "DPO (last epoch)", "value",
        [
            ("DPO loss", r => r.DpoLoss),
            ("reward accuracy", r => r.RewardAccuracy),
        ]),
    ];

    /// <summary>The PNG of each chart that has data, by file name.</summary>
    public static IReadOnlyList<(string FileName, byte[] Png)> Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = report.Rows().ToList();
        var pngs = new List<(string, byte[])>();
        foreach (var chart in Charts)
        {
            var png = RenderChart(chart, rows);
            if (png is not null)
            {
                pngs.Add((chart.FileName, png));
            }
        }

        return pngs;
    }

    private static byte[]? RenderChart(Chart chart, List<ReportRow> rows)
    {
        using var plot = new Plot();
        var any = false;
        foreach (var (name, value) in chart.Series)
        {
            var points = rows.Select(row => (X: (double)row.Index, Y: value(row))).Where(p => p.Y is not null).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            any = true;
            var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y!.Value).ToArray());
            scatter.LegendText = name;
            scatter.MarkerSize = 7;
            scatter.LineWidth = 2;
        }

        if (!any)
        {
            return null;
        }

        plot.Title(chart.Title);
        plot.XLabel("checkpoint");
        plot.YLabel(chart.YLabel);
        plot.Axes.Bottom.SetTicks(
            [.. rows.Select(r => (double)r.Index)],
            [.. rows.Select(r => r.Index == 0 ? "seed" : $"it. {r.Index}")]);
        plot.Axes.SetLimitsX(-0.3, Math.Max(1, rows.Max(r => r.Index)) + 0.3);
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        return plot.GetImage(Width, Height).GetImageBytes(ImageFormat.Png);
    }
}
