using MetaRewarding.Modeling.Training;
using TorchSharp;

namespace MetaRewarding.Modeling.Tests.Training;

public sealed class DisposeScopeTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "mr-leak-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void DpoTrain_HundredSteps_LiveTensorCountStaysFlat()
    {
        var data = TrainingData.Preferences(16);
        var reference = new ReferenceLogProbs([.. data.Select(_ => -10.0)], [.. data.Select(_ => -10.0)]);
        var options = new DpoOptions
        {
            NllWeight = 1.0,
            Training = new TrainingOptions { BatchSize = 4, MicroBatchSize = 2, Epochs = 25, LearningRate = 1e-3 },
        };
        var liveAfterStep = new List<long>();
        using var model = new TinyCausalLM();
        DpoTrainer.Train(model, data, () => reference, options, new CheckpointStore(root),
            new SynchronousProgress<TrainingStepMetrics>(_ => liveAfterStep.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount)),
            CancellationToken.None);

        Assert.Equal(100, liveAfterStep.Count);
        // The first step may create lasting tensors (gradients, optimizer moments); after it nothing may accumulate.
        Assert.All(liveAfterStep.Skip(1), count => Assert.Equal(liveAfterStep[1], count));
    }
}
