using MetaRewarding.Modeling.Training;
using TorchSharp;

namespace MetaRewarding.Modeling.Tests.Training;

public class GradientAccumulationTests
{
    public static TheoryData<int> MicroBatchSizes => [1, 3, 4];

    [Theory]
    [MemberData(nameof(MicroBatchSizes))]
    public void AccumulateGradients_DpoMicroBatches_EqualsBigBatchGradient(int microBatchSize)
    {
        var data = TrainingData.Preferences(8);
        var reference = new ReferenceLogProbs([.. data.Select((_, i) => -12.0 - i)], [.. data.Select((_, i) => -11.0 - (0.5 * i))]);
        var objective = new DpoObjective(data, reference, new DpoOptions { Beta = 0.5, NllWeight = 1.0 });
        AssertSameGradients(objective, microBatchSize);
    }

    [Theory]
    [MemberData(nameof(MicroBatchSizes))]
    public void AccumulateGradients_SftMicroBatchesOfUnequalTokenCounts_EqualsBigBatchGradient(int microBatchSize)
    {
        AssertSameGradients(new SftObjective(TrainingData.Sft(8)), microBatchSize);
    }

    private static void AssertSameGradients(ITrainingObjective objective, int microBatchSize)
    {
        int[] batch = [6, 1, 7, 0, 3, 5, 2, 4];
        var (bigLoss, bigGrads) = Gradients(objective, batch, batch.Length);
        var (accumulatedLoss, accumulatedGrads) = Gradients(objective, batch, microBatchSize);

        // fp32 sums in a different order: agreement to ~1e-6 relative is what rounding allows; a wrong scaling
        // (e.g. dividing by the micro-batch size) would be off by a factor of 2 or more.
        Assert.Equal(bigLoss, accumulatedLoss, 1e-5 * Math.Abs(bigLoss));
        foreach (var (name, big) in bigGrads)
        {
            var accumulated = accumulatedGrads[name];
            var scale = big.Select(Math.Abs).Max();
            for (var i = 0; i < big.Length; i++)
            {
                Assert.True(Math.Abs(big[i] - accumulated[i]) <= 1e-5 * scale, $"{name}[{i}]: {big[i]} vs {accumulated[i]}");
            }
        }
    }

    private static (double Loss, Dictionary<string, float[]> Grads) Gradients(ITrainingObjective objective, int[] batch, int microBatchSize)
    {
        using var model = new TinyCausalLM(seed: 4);
        var loss = TrainingLoop.AccumulateGradients(model, objective, batch, microBatchSize, torch.CPU, new double[objective.MetricCount], out _);
        return (loss, model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray()));
    }
}
