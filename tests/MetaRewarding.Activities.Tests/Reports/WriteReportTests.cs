using System.Buffers.Binary;
using System.Text.Json;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Reports;
using MetaRewarding.Activities.Run;
using MetaRewarding.Activities.Tests.Artifacts;
using static MetaRewarding.Activities.Tests.Reports.ReportFixtures;
using static MetaRewarding.Activities.Tests.Run.RunFixtures;

namespace MetaRewarding.Activities.Tests.Reports;

public sealed class WriteReportTests : IDisposable
{
    private readonly TemporaryStore _temp = new();
    private readonly RunActivities _activities;

    public WriteReportTests() => _activities = new RunActivities(_temp.Store);

    public void Dispose() => _temp.Dispose();

    private RunSnapshot? _snapshot;

    private async Task<ReportInput> InputAsync(int iterations)
    {
        var snapshot = _snapshot ??= await PrepareAsync(_activities, Real(_temp.Folder, FivePrompts()));
        IterationSummary[] summaries = [Iteration(1, trainsJudge: true, dpoLoss: 0.62), Iteration(2, trainsJudge: false, dpoLoss: double.NaN)];
        return new ReportInput("real-run", snapshot.Run, Evaluation("seed", 0.5, 0.4), summaries[..iterations]);
    }

    [Fact]
    public async Task WriteReportAsync_TwoIterations_WritesTheFixedFieldNamesWithValues()
    {
        var input = await InputAsync(2);

        var report = await RunActivity(() => _activities.WriteReportAsync(input));

        Assert.Equal("runs/real-run/report.json", report.Path);
        using var json = JsonDocument.Parse(File.ReadAllText(_temp.Store.Resolve(report)));
        var root = json.RootElement;
        Assert.Equal("real-run", root.GetProperty("runId").GetString());
        Assert.Equal("characters", root.GetProperty("lengthUnit").GetString());
        var seed = root.GetProperty("seed");
        Assert.Equal(0, seed.GetProperty("index").GetInt32());
        Assert.Equal(0.5, seed.GetProperty("actorAccuracy").GetDouble());
        Assert.Equal(JsonValueKind.Null, seed.GetProperty("actorPairs").ValueKind);

        var iterations = root.GetProperty("iterations");
        Assert.Equal(2, iterations.GetArrayLength());
        var first = iterations[0];
        string[] required =
        [
            "index", "actorPairs", "judgePairs", "actorAccuracy", "judgeAgreement", "invalidJudgmentRate", "meanResponseChars", "dpoLoss",
            "metaJudgeAccuracy", "metaJudgeHigherScoreRate", "metaJudgePositionARate", "onPolicyMetaJudgeHigherScoreRate",
            "onPolicyMetaJudgePositionARate", "actorSampledAccuracy", "passAtK", "judgeWithinOne", "judgeSpearman", "judgeParseRate", "eloTopTies",
        ];
        Assert.All(required, name => Assert.True(first.TryGetProperty(name, out _), $"report row lacks '{name}'"));
        Assert.Equal(1, first.GetProperty("index").GetInt32());
        Assert.Equal(81, first.GetProperty("actorPairs").GetInt64());
        Assert.Equal(41, first.GetProperty("judgePairs").GetInt64());
        Assert.Equal(0.6, first.GetProperty("actorAccuracy").GetDouble(), 1e-12); // 0.5 + 0.1·1 in doubles
        Assert.Equal(0.45, first.GetProperty("judgeAgreement").GetDouble(), 1e-12);
        Assert.Equal(0.05, first.GetProperty("invalidJudgmentRate").GetDouble());
        Assert.Equal(130, first.GetProperty("meanResponseChars").GetDouble());
        Assert.Equal(0.62, first.GetProperty("dpoLoss").GetDouble());
        Assert.Equal(0.6, first.GetProperty("metaJudgeAccuracy").GetDouble());
        Assert.Equal(0.977, first.GetProperty("onPolicyMetaJudgeHigherScoreRate").GetDouble());
        Assert.Equal(0.681, first.GetProperty("onPolicyMetaJudgePositionARate").GetDouble());
        Assert.Equal(3, first.GetProperty("eloTopTies").GetInt64()); // a top tie is reported, not hidden in the lowest index
        // NaN (undefined) figures are null in the report: the evaluation's position-A rate, iteration 2's loss
        // and on-policy meta-judge rates (no battles when the judge is not trained).
        Assert.Equal(JsonValueKind.Null, first.GetProperty("metaJudgePositionARate").ValueKind);
        Assert.False(first.GetProperty("evaluation").TryGetProperty("metaJudgePositionARate", out _));
        var second = iterations[1];
        Assert.Equal(JsonValueKind.Null, second.GetProperty("dpoLoss").ValueKind);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("onPolicyMetaJudgeHigherScoreRate").ValueKind);
        Assert.Equal(0, second.GetProperty("judgePairs").GetInt64());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("eloTopTies").ValueKind);
    }

    [Fact]
    public async Task WriteReportAsync_Report_ReadsBackEqualThroughRunReportJson()
    {
        var report = await RunActivity(async () => await _activities.WriteReportAsync(await InputAsync(2)));

        var read = RunReportJson.Read(_temp.Store.Resolve(report));

        Assert.Equal(2, read.Iterations.Count);
        Assert.Equal(81, read.Iterations[0].ActorPairs);
        Assert.Null(read.Iterations[1].DpoLoss);
        Assert.Equal(RunReportJson.Serialize(read), File.ReadAllText(_temp.Store.Resolve(report)));
    }

    [Fact]
    public async Task WriteReportAsync_WritesPngPlotsOfTheStatedSize()
    {
        await RunActivity(async () => await _activities.WriteReportAsync(await InputAsync(2)));

        foreach (var chart in ReportPlots.Charts)
        {
            var plot = _temp.Store.TryGetFile($"runs/real-run/plots/{chart.FileName}");
            Assert.NotNull(plot);
            var bytes = File.ReadAllBytes(_temp.Store.Resolve(plot));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
            Assert.Equal("IHDR"u8.ToArray(), bytes[12..16]);
            Assert.Equal(ReportPlots.Width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
            Assert.Equal(ReportPlots.Height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
            Assert.True(bytes.Length > 5000, $"{chart.FileName} is {bytes.Length} bytes: too small to hold a drawn chart");
        }
    }

    [Fact]
    public async Task WriteReportAsync_SecondCallWithSameInput_ReturnsSameRefWithoutRewriting()
    {
        var input = await InputAsync(1);
        var first = await RunActivity(() => _activities.WriteReportAsync(input));
        var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var files = Directory.GetFiles(_temp.Store.FullPath("runs/real-run/plots")).Append(_temp.Store.FullPath(first.Path)).ToArray();
        foreach (var file in files)
        {
            File.SetLastWriteTimeUtc(file, old);
        }

        var second = await RunActivity(() => _activities.WriteReportAsync(input));

        Assert.Equal(first, second);
        Assert.All(files, file => Assert.Equal(old, File.GetLastWriteTimeUtc(file)));
    }

    [Fact]
    public async Task WriteReportAsync_AfterAnotherIteration_ReplacesReportWithMoreRows()
    {
        var first = await RunActivity(async () => await _activities.WriteReportAsync(await InputAsync(1)));
        var second = await RunActivity(async () => await _activities.WriteReportAsync(await InputAsync(2)));

        Assert.NotEqual(first.Sha256, second.Sha256);
        Assert.Equal(2, RunReportJson.Read(_temp.Store.Resolve(second)).Iterations.Count);
    }

    [Fact]
    public async Task WriteReportAsync_RunSnapshotMissing_FailsMissingInput()
    {
        var input = await InputAsync(1);
        File.Delete(_temp.Store.FullPath(input.Run.Path));

        await FailureOf(() => _activities.WriteReportAsync(input), ErrorTypes.MissingInput);
    }
}
