using MetaRewarding.Modeling.Native;
using MetaRewarding.Modeling.Training;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Training;

public sealed class LossTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "mr-loss-" + Guid.NewGuid().ToString("N"));

    public LossTests() => TorchRuntime.Initialize();

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void DpoLossCompute_KnownLogProbs_MatchesSigmoidFormula()
    {
        using var scope = NewDisposeScope();
        var terms = DpoLoss.Compute(tensor(new[] { -10f, -20f }), tensor(new[] { -12f, -15f }), tensor(new[] { -11f, -20f }), tensor(new[] { -11f, -16f }), beta: 0.5);

        // Pair 0: chosen ratio +1, rejected ratio -1 -> margin 0.5 * 2 = 1. Pair 1: 0 and +1 -> margin -0.5.
        var losses = terms.Losses.data<float>().ToArray();
        Assert.Equal(Math.Log(1 + Math.Exp(-1.0)), losses[0], 6);
        Assert.Equal(Math.Log(1 + Math.Exp(0.5)), losses[1], 6);
        Assert.Equal([0.5f, 0f], terms.ChosenRewards.data<float>().ToArray());
        Assert.Equal([-0.5f, 0.5f], terms.RejectedRewards.data<float>().ToArray());
    }

    [Fact]
    public void ClipTo_NormAboveMax_ScalesGradientsToMax()
    {
        using var parameter = new TorchSharp.Modules.Parameter(ones(2));
        using (var loss = (parameter * arange(3f, 5f)).sum())
        {
            loss.backward();
        }

        var before = GradientNorm.ClipTo([parameter], maxNorm: 1.0);

        Assert.Equal(5.0, before, 6);
        Assert.Equal(1.0, GradientNorm.Total([parameter]), 5); // 1e-6 of PyTorch's epsilon, at 1e-5 tolerance
    }

    [Fact]
    public void SftTrain_RepeatedSmallDataset_LowersLoss()
    {
        var data = TrainingData.Sft(8);
        using var model = new TinyCausalLM();
        var result = SftTrainer.Train(
            model, data, new TrainingOptions { LearningRate = 3e-2, BatchSize = 8, MicroBatchSize = 4, Epochs = 40, WarmupSteps = 2 },
            new CheckpointStore(root), null, CancellationToken.None);

        Assert.Equal(40, result.Steps.Count);
        // Memorising 8 short completions from 32-way uniform (ln 32 = 3.47) should at least halve the loss.
        Assert.True(result.Steps[^1].Loss < result.Steps[0].Loss / 2, $"{result.Steps[0].Loss} -> {result.Steps[^1].Loss}");
        Assert.All(result.Steps, s => Assert.Null(s.Dpo));
        Assert.True(result.Steps.All(s => s.TokensPerSecond > 0));
    }

    [Fact]
    public void DpoTrain_Steps_ReportRewardsMarginAndAccuracyThatImprove()
    {
        var data = TrainingData.Preferences(8);
        ReferenceLogProbs reference;
        using (var referenceModel = new TinyCausalLM())
        {
            reference = ReferenceLogProbs.Compute(referenceModel, data, 4, CPU);
        }

        using var policy = new TinyCausalLM(); // starts equal to the reference: rewards 0, loss ln 2
        var result = DpoTrainer.Train(
            policy, data, () => reference,
            new DpoOptions { Beta = 0.5, Training = new TrainingOptions { LearningRate = 3e-2, BatchSize = 8, Epochs = 30 } },
            new CheckpointStore(root), null, CancellationToken.None);

        var first = result.Steps[0];
        Assert.Equal(Math.Log(2), first.Loss, 5);
        Assert.Equal(0, first.Dpo!.Margin, 5);
        var last = result.Steps[^1].Dpo!;
        Assert.True(last.Margin > 1, $"margin {last.Margin}");
        Assert.Equal(1.0, last.Accuracy);
        Assert.Equal(last.ChosenReward - last.RejectedReward, last.Margin, 9);
    }
}
