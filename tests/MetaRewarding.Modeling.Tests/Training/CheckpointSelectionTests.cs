using MetaRewarding.Modeling.Training;
using TorchSharp;

namespace MetaRewarding.Modeling.Tests.Training;

/// <summary>Checkpoint selection on held-out pairs: scored by their DPO loss, the best kept and returned.</summary>
public sealed class CheckpointSelectionTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "mr-select-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void HeldOutSplit_SeededDisjointAndCoversEveryPair()
    {
        var (train, heldOut) = DpoTrainer.HeldOutSplit(20, 0.25, seed: 3);

        Assert.Equal(5, heldOut.Length);
        Assert.Equal(Enumerable.Range(0, 20), train.Concat(heldOut).Order());
        var again = DpoTrainer.HeldOutSplit(20, 0.25, seed: 3);
        Assert.Equal(train, again.Train);
        Assert.Equal(heldOut, again.HeldOut);
        Assert.NotEqual(heldOut, DpoTrainer.HeldOutSplit(20, 0.25, seed: 4).HeldOut);
        Assert.Empty(DpoTrainer.HeldOutSplit(20, 0, seed: 3).HeldOut);
        Assert.Single(DpoTrainer.HeldOutSplit(3, 0.01, seed: 3).HeldOut);
    }

    [Fact]
    public void DpoTrain_WithHeldOutPairs_EndsWithTheCheckpointOfLowestHeldOutLoss()
    {
        // Random pairs and a high learning rate: the policy overfits its training pairs, so the held-out loss rises
        // after the first steps and the best checkpoint is an early one, not the last.
        var data = TrainingData.Preferences(24, seed: 8);
        var options = new DpoOptions
        {
            HeldOutFraction = 0.25,
            Training = new TrainingOptions { LearningRate = 0.1, BatchSize = 3, Epochs = 3, ShuffleSeed = 2, CheckpointEverySteps = 1, KeepCheckpoints = 1 },
        };
        ReferenceLogProbs reference;
        using (var referenceModel = new TinyCausalLM(seed: 1))
        {
            referenceModel.eval();
            reference = ReferenceLogProbs.Compute(referenceModel, data, 8, torch.CPU);
        }

        using var model = new TinyCausalLM(seed: 1);
        var store = new CheckpointStore(root);
        var result = DpoTrainer.Train(model, data, () => reference, options, store, null, CancellationToken.None);

        Assert.Equal(18 / 3 * 3, result.TotalSteps);
        var best = result.HeldOutLosses.OrderBy(l => l.Value).First();
        Assert.Equal(store.StepFolder(best.Key), result.BestCheckpoint);
        Assert.NotEqual(result.FinalCheckpoint, result.BestCheckpoint);

        // KeepCheckpoints = 1 keeps the newest; the best is kept beside it.
        Assert.Equal(new[] { result.TotalSteps, best.Key }.Order(), store.Steps().Order());

        // The model holds the best checkpoint's weights, and its held-out loss is what was recorded.
        using var fromBest = new TinyCausalLM(seed: 5);
        new TorchSharpWeightsFormat().Load(fromBest, Path.Combine(result.BestCheckpoint!, TrainingLoop.WeightsFolderName));
        foreach (var ((name, expected), (_, actual)) in fromBest.named_parameters().Zip(model.named_parameters()))
        {
            Assert.True(expected.data<float>().ToArray().SequenceEqual(actual.data<float>().ToArray()), $"{name} is not the best checkpoint's");
        }

        var (_, heldOut) = DpoTrainer.HeldOutSplit(data.Length, 0.25, seed: 2);
        var evaluation = new DpoObjective([.. heldOut.Select(i => data[i])], new ReferenceLogProbs([.. heldOut.Select(i => reference.Chosen[i])], [.. heldOut.Select(i => reference.Rejected[i])]), options);
        model.eval();
        using var noGrad = torch.no_grad();
        using var loss = evaluation.LossSum(model, [.. Enumerable.Range(0, heldOut.Length)], torch.CPU, new double[evaluation.MetricCount], out _);
        Assert.Equal(best.Value, loss.item<float>() / heldOut.Length, 6);
    }
}
