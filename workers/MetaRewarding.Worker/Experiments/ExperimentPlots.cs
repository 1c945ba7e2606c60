using ScottPlot;

namespace MetaRewarding.Worker.Experiments;

/// <summary>
/// The experiment's charts, one PNG each: per arm a line over the checkpoints with a shaded band — the mean over
/// loop seeds of the 95% bootstrap interval — for greedy and for sampled accuracy; and the judge's catch rate.
/// </summary>
public static class ExperimentPlots
{
    public static IReadOnlyList<(string FileName, byte[] Png)> Render(ExperimentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return
        [
            ("greedy-accuracy.png", Chart(report, "Greedy accuracy (band: 95% bootstrap interval)", p => (p.Greedy, p.GreedyLow, p.GreedyHigh))),
            ("sampled-accuracy.png", Chart(report, "Sampled accuracy (band: 95% bootstrap interval)", p => (p.Sampled, p.SampledLow, p.SampledHigh))),
            ("judge-catch-rate.png", Chart(report, "Judge catch rate on the actor's own failed samples", p => (p.JudgeCatchRate, null, null))),
        ];
    }

    private static byte[] Chart(ExperimentReport report, string title, Func<ArmPoint, (double? Mean, double? Low, double? High)> value)
    {
        using var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var a = 0; a < report.Arms.Count; a++)
        {
            var points = report.Summary.Where(p => p.Arm == report.Arms[a]).OrderBy(p => p.Index)
                .Select(p => (X: (double)p.Index, V: value(p))).Where(p => p.V.Mean is not null).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var color = palette.GetColor(a);
            var banded = points.Where(p => p.V.Low is not null && p.V.High is not null).ToList();
            if (banded.Count > 1)
            {
                double[] bandX = [.. banded.Select(p => p.X)];
                double[] highs = [.. banded.Select(p => p.V.High!.Value)];
                double[] lows = [.. banded.Select(p => p.V.Low!.Value)];
                var band = plot.Add.FillY(bandX, highs, lows);
                band.FillStyle.Color = color.WithAlpha(0.2);
                band.LineStyle.Width = 0;
            }

            double[] xs = [.. points.Select(p => p.X)];
            double[] ys = [.. points.Select(p => p.V.Mean!.Value)];
            var line = plot.Add.Scatter(xs, ys);
            line.Color = color;
            line.LegendText = report.Arms[a];
            line.LineWidth = 2;
            line.MarkerSize = 6;
        }

        var indices = report.Summary.Select(p => p.Index).Distinct().Order().ToList();
        plot.Title(title);
        plot.XLabel("checkpoint");
        plot.Axes.Bottom.SetTicks([.. indices.Select(i => (double)i)], [.. indices.Select(i => i == 0 ? "seed" : $"it. {i}")]);
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        return plot.GetImage(800, 500).GetImageBytes(ImageFormat.Png);
    }
}
