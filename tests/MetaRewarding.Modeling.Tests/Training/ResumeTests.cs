using MetaRewarding.Modeling.Training;
using TorchSharp;

namespace MetaRewarding.Modeling.Tests.Training;

public sealed class ResumeTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "mr-resume-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // 20 pairs, batch 4 (micro 2), 2 epochs = 10 steps. Interrupting at 5 is the k / 2k case; at 3 the resumed run
    // starts mid-epoch, which exercises the saved data position.
    [Theory]
    [InlineData(5)]
    [InlineData(3)]
    public void DpoTrain_InterruptedAtStepKAndResumedInFreshModel_ReproducesUninterruptedLossesBitwise(int interruptAt)
    {
        var data = TrainingData.Preferences(20);
        var options = Options(checkpointEvery: interruptAt);
        ReferenceLogProbs reference;
        using (var referenceModel = new TinyCausalLM(seed: 2))
        {
            referenceModel.eval();
            reference = ReferenceLogProbs.Compute(referenceModel, data, batchSize: 8, torch.CPU);
        }

        using var uninterruptedModel = new TinyCausalLM(seed: 1);
        var uninterrupted = DpoTrainer.Train(uninterruptedModel, data, () => reference, options, new CheckpointStore(Path.Combine(root, "a")), null, CancellationToken.None);

        var store = new CheckpointStore(Path.Combine(root, "b"));
        var losses = new List<double>();
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingStepMetrics>(m =>
        {
            losses.Add(m.Loss);
            if (m.Step == interruptAt)
            {
                cancel.Cancel();
            }
        });
        using (var interruptedModel = new TinyCausalLM(seed: 1))
        {
            Assert.Throws<OperationCanceledException>(() => DpoTrainer.Train(interruptedModel, data, () => reference, options, store, progress, cancel.Token));
        }

        // A fresh model with different initial weights: everything must come from the checkpoint.
        using var resumedModel = new TinyCausalLM(seed: 77);
        var resumed = DpoTrainer.Train(
            resumedModel, data, () => throw new InvalidOperationException("reference must come from the store"), options, store,
            new SynchronousProgress<TrainingStepMetrics>(m => losses.Add(m.Loss)), CancellationToken.None);

        Assert.Equal(interruptAt, resumed.ResumedFromStep);
        Assert.Equal(10, uninterrupted.Steps.Count);
        Assert.Equal(uninterrupted.Steps.Select(s => BitConverter.DoubleToInt64Bits(s.Loss)), losses.Select(BitConverter.DoubleToInt64Bits));
        foreach (var ((name, expected), (_, actual)) in uninterruptedModel.named_parameters().Zip(resumedModel.named_parameters()))
        {
            Assert.True(expected.data<float>().ToArray().SequenceEqual(actual.data<float>().ToArray()), $"{name} differs after resume");
        }
    }

    [Fact]
    public void DpoTrain_NewestCheckpointCorrupt_ResumesFromOlderAndReportsWhy()
    {
        var data = TrainingData.Preferences(20);
        var options = Options(checkpointEvery: 2) with { };
        options = options with { Training = options.Training with { KeepCheckpoints = 5 } };
        var reference = new ReferenceLogProbs([.. data.Select(_ => -10.0)], [.. data.Select(_ => -10.0)]);
        var store = new CheckpointStore(root);
        using var cancel = new CancellationTokenSource();
        using (var model = new TinyCausalLM())
        {
            var stopAtFour = new SynchronousProgress<TrainingStepMetrics>(m =>
            {
                if (m.Step == 4)
                {
                    cancel.Cancel();
                }
            });
            Assert.Throws<OperationCanceledException>(() => DpoTrainer.Train(model, data, () => reference, options, store, stopAtFour, cancel.Token));
        }

        var optimizerFile = Path.Combine(store.StepFolder(4), TrainingLoop.OptimizerFileName);
        File.WriteAllBytes(optimizerFile, [.. File.ReadAllBytes(optimizerFile).Select((b, i) => i == 100 ? (byte)(b ^ 0xFF) : b)]);
        var rejected = new List<string>();
        using var resumedModel = new TinyCausalLM();
        var result = DpoTrainer.Train(resumedModel, data, () => reference, options, store, null, CancellationToken.None, onCheckpointRejected: e => rejected.Add(e.Message));

        Assert.Equal(2, result.ResumedFromStep);
        var message = Assert.Single(rejected);
        Assert.Contains("optimizer.safetensors has SHA-256", message, StringComparison.Ordinal);
        Assert.Contains("step-00000004", message, StringComparison.Ordinal);
    }

    private static DpoOptions Options(int checkpointEvery) => new()
    {
        Beta = 0.1,
        NllWeight = 1.0,
        Training = new TrainingOptions
        {
            LearningRate = 3e-2,
            WarmupSteps = 2,
            BatchSize = 4,
            MicroBatchSize = 2,
            Epochs = 2,
            ShuffleSeed = 3,
            WeightDecay = 0.01,
            MaxGradNorm = 0.5,
            CheckpointEverySteps = checkpointEvery,
            KeepCheckpoints = 2,
        },
    };
}
