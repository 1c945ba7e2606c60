using System.Text.Json;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;

namespace MetaRewarding.Activities.Tests.Artifacts;

public class ArtifactJsonTests
{
    private static readonly ArtifactRef Model = new("runs/r/iteration-1/model", new string('a', 64), 10);

    [Fact]
    public void Serialize_TrainingSummary_IsCamelCaseWithNamedNaN()
    {
        var json = JsonSerializer.Serialize(new TrainingOutput(Model, 3, 12, double.NaN, 0.5, 0.25), ArtifactJson.Options);

        Assert.Contains("\"meanLoss\": \"NaN\"", json, StringComparison.Ordinal);
        Assert.Contains("\"rewardAccuracy\": 0.5", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"MeanLoss\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_PascalCaseTrainingSummaryWrittenBeforeTheCasingWasUnified_ReadsBack()
    {
        const string old = """{ "Model": { "Path": "runs/r/iteration-1/model", "Sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Bytes": 10 }, "Steps": 3, "Pairs": 12, "MeanLoss": 0.7, "RewardAccuracy": 0.5, "RewardMargin": 0.25 }""";

        var summary = JsonSerializer.Deserialize<TrainingOutput>(old, ArtifactJson.Options);

        Assert.Equal(new TrainingOutput(Model, 3, 12, 0.7, 0.5, 0.25), summary);
    }
}
