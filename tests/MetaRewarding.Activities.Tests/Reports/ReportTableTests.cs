using MetaRewarding.Activities.Reports;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Activities.Contracts;
using static MetaRewarding.Activities.Tests.Reports.ReportFixtures;

namespace MetaRewarding.Activities.Tests.Reports;

public sealed class ReportTableTests
{
    private static RunReport Report() => RunReportBuilder.Build(
        new ReportInput("demo", new ArtifactRef("runs/demo/run.json", new string('r', 64), 1), Evaluation("seed", 0.5, 0.4),
            [Iteration(1, trainsJudge: true, dpoLoss: 0.62), Iteration(2, trainsJudge: false, dpoLoss: double.NaN)]),
        LengthUnit.Characters);

    [Fact]
    public void Render_SeedAndTwoIterations_OneAlignedLinePerCheckpoint()
    {
        var lines = ReportTable.Render(Report()).TrimEnd('\n').Split('\n');

        Assert.Equal("Run demo (lengths in characters)", lines[0]);
        Assert.StartsWith("checkpoint ", lines[1], StringComparison.Ordinal);
        Assert.Equal(6, lines.Length); // title, header, rule, seed, iteration 1, iteration 2
        Assert.All(lines[2..], line => Assert.Equal(lines[1].Length, line.Length));
        Assert.StartsWith("seed ", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("iteration 1 ", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Cells_ShowPercentagesCountsAndDashesForMissingFigures()
    {
        var lines = ReportTable.Render(Report()).Split('\n');
        var header = lines[1];
        string Cell(string line, string column)
        {
            // Right-aligned figures end where their header ends.
            var end = header.IndexOf(column, StringComparison.Ordinal) + column.Length;
            var start = line.LastIndexOf(' ', end - 1) + 1;
            return line[start..end];
        }

        Assert.Equal("81", Cell(lines[4], "actor pairs"));
        Assert.Equal("60.0%", Cell(lines[4], "actor acc."));
        Assert.Equal("0.6200", Cell(lines[4], "DPO loss"));
        Assert.Equal("-", Cell(lines[5], "DPO loss"));
        Assert.Equal("-", Cell(lines[3], "actor pairs"));
        Assert.Equal("68.1%", Cell(lines[4], "meta pos.A"));
        Assert.Equal("130.0", Cell(lines[4], "mean chars"));
    }
}
