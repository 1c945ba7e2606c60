using MetaRewarding.Modeling.Training;

namespace MetaRewarding.Modeling.Tests.Training;

public sealed class TrainingLoopGuardTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "mr-guard-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void DpoTrain_NonFiniteLoss_StopsBeforeUpdatingWeights()
    {
        var data = TrainingData.Preferences(4);
        var reference = new ReferenceLogProbs([-1.0, -1, -1, -1], [-1.0, -1, -1, -1]);
        using var model = new TinyCausalLM();
        using (TorchSharp.torch.no_grad())
        {
            model.parameters().Last().data<float>()[0] = float.NaN; // a diverged weight makes the loss NaN
        }

        var before = model.parameters().Select(p => p.data<float>().ToArray()).ToList();

        var error = Assert.Throws<TrainingDivergedException>(() => DpoTrainer.Train(
            model, data, () => reference, new DpoOptions { Training = new TrainingOptions { BatchSize = 4 } }, new CheckpointStore(root), null, CancellationToken.None));

        Assert.Contains("Training loss is NaN at step 1; the weights were not updated", error.Message, StringComparison.Ordinal);
        Assert.Equal((double.NaN, 1), (error.Loss, error.Step)); // typed: callers need not match the message
        Assert.All(model.parameters().Zip(before), pair => Assert.Equal(pair.Second, pair.First.data<float>().ToArray()));
    }

    [Fact]
    public void DpoTrain_NonFiniteReferenceLogProb_FailsNamingThePair()
    {
        var data = TrainingData.Preferences(2);
        using var model = new TinyCausalLM();

        var error = Assert.Throws<InvalidDataException>(() => DpoTrainer.Train(
            model, data, () => new ReferenceLogProbs([-1.0, double.NaN], [-1.0, -1.0]), new DpoOptions(), new CheckpointStore(root), null, CancellationToken.None));

        Assert.Contains("pair 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SftTrain_CheckpointOfAnotherBatchSize_RefusesToResumeAndSaysWhy()
    {
        var data = TrainingData.Sft(8);
        var store = new CheckpointStore(root);
        using (var model = new TinyCausalLM())
        {
            SftTrainer.Train(model, data, new TrainingOptions { BatchSize = 4 }, store, null, CancellationToken.None);
        }

        using var other = new TinyCausalLM();
        var error = Assert.Throws<InvalidOperationException>(() =>
            SftTrainer.Train(other, data, new TrainingOptions { BatchSize = 2 }, store, null, CancellationToken.None));

        Assert.Contains("belongs to another run", error.Message, StringComparison.Ordinal);
        Assert.Contains("batch 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SftTrain_FinishedRunCalledAgain_ReturnsWithoutTraining()
    {
        var data = TrainingData.Sft(8);
        var store = new CheckpointStore(root);
        var options = new TrainingOptions { BatchSize = 4, Epochs = 2 };
        using var model = new TinyCausalLM();
        var first = SftTrainer.Train(model, data, options, store, null, CancellationToken.None);

        // A retried activity whose training already finished: nothing is recomputed, the same checkpoint is returned.
        var again = SftTrainer.Train(model, data, options, store, null, CancellationToken.None);

        Assert.Equal(4, first.Steps.Count);
        Assert.Empty(again.Steps);
        Assert.Equal(4, again.ResumedFromStep);
        Assert.Equal(first.FinalCheckpoint, again.FinalCheckpoint);
    }
}
