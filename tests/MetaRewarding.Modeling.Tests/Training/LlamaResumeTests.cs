using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Modeling.Training;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Training;

/// <summary>The resume guarantee on the real model, with checkpoints in Hugging Face layout.</summary>
public sealed class LlamaResumeTests : IDisposable
{
    private static readonly LlamaConfig Config = new()
    {
        VocabSize = 64, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4,
        NumKeyValueHeads = 2, HeadDim = 8, MaxPositionEmbeddings = 64,
    };

    private readonly string root = Path.Combine(Path.GetTempPath(), "mr-llama-resume-" + Guid.NewGuid().ToString("N"));

    public LlamaResumeTests() => TorchRuntime.Initialize();

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void SftTrain_LlamaResumedFromHfCheckpoint_ReproducesLossesBitwiseAndWritesLoadableFolder()
    {
        var data = TrainingData.Sft(12, vocab: 64);
        var options = new TrainingOptions { LearningRate = 1e-2, BatchSize = 4, MicroBatchSize = 2, Epochs = 2, WarmupSteps = 1, CheckpointEverySteps = 3 };
        var format = new LlamaWeightsFormat();

        using var uninterruptedModel = LlamaForCausalLM.Create(Config, ScalarType.Float32, CPU, seed: 3);
        var uninterrupted = SftTrainer.Train(uninterruptedModel, data, options, new CheckpointStore(Path.Combine(root, "a")), null, CancellationToken.None, format);

        var store = new CheckpointStore(Path.Combine(root, "b"));
        var losses = new List<double>();
        using var cancel = new CancellationTokenSource();
        using (var model = LlamaForCausalLM.Create(Config, ScalarType.Float32, CPU, seed: 3))
        {
            var stopAtThree = new SynchronousProgress<TrainingStepMetrics>(m =>
            {
                losses.Add(m.Loss);
                if (m.Step == 3)
                {
                    cancel.Cancel();
                }
            });
            Assert.Throws<OperationCanceledException>(() => SftTrainer.Train(model, data, options, store, stopAtThree, cancel.Token, format));
        }

        using var resumedModel = LlamaForCausalLM.Create(Config, ScalarType.Float32, CPU, seed: 99);
        var resumed = SftTrainer.Train(resumedModel, data, options, store, new SynchronousProgress<TrainingStepMetrics>(m => losses.Add(m.Loss)), CancellationToken.None, format);

        Assert.Equal(3, resumed.ResumedFromStep);
        Assert.Equal(uninterrupted.Steps.Select(s => BitConverter.DoubleToInt64Bits(s.Loss)), losses.Select(BitConverter.DoubleToInt64Bits));
        using var exported = LlamaForCausalLM.FromPretrained(Path.Combine(resumed.FinalCheckpoint, TrainingLoop.WeightsFolderName), ScalarType.Float32, CPU);
        foreach (var ((name, expected), (_, actual)) in uninterruptedModel.named_parameters().Zip(exported.named_parameters()))
        {
            Assert.True(expected.data<float>().ToArray().SequenceEqual(actual.data<float>().ToArray()), $"{name} differs");
        }
    }
}
