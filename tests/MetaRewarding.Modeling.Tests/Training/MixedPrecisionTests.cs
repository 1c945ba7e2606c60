using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Modeling.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Training;

/// <summary>
/// bf16 training with fp32 master weights and moments keeps the small DPO updates that pure bf16 drops, and follows
/// the fp32 run. 20 DPO steps at the paper's learning rate 5e-6 (constant, no warm-up) on a Llama whose weights have
/// the real model's scale (normal(0, 0.02)), all three runs starting from the same bf16-representable weights and
/// scored against the same fp32 reference log-probs.
/// </summary>
public sealed class MixedPrecisionTests : IDisposable
{
    private const int Steps = 20;
    private const double LearningRate = 5e-6;

    private static readonly LlamaConfig Config = new()
    {
        VocabSize = 32, HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4,
        NumKeyValueHeads = 2, HeadDim = 16, MaxPositionEmbeddings = 64,
    };

    private readonly string root = Path.Combine(Path.GetTempPath(), "mr-mixed-" + Guid.NewGuid().ToString("N"));
    private readonly ITestOutputHelper output;

    public MixedPrecisionTests(ITestOutputHelper output)
    {
        this.output = output;
        TorchRuntime.Initialize();
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Bf16WithMasterWeights_20StepsAtLr5e6_ChangesEveryWeightAndFollowsFp32Run()
    {
        var fp32 = Train("fp32", ScalarType.Float32, keepMaster: true);
        var mixed = Train("mixed", ScalarType.BFloat16, keepMaster: true);
        var pure = Train("pure", ScalarType.BFloat16, keepMaster: false);

        var mixedChanged = ChangedFraction(mixed);
        var pureChanged = ChangedFraction(pure);
        var mixedError = RelativeUpdateError(mixed, fp32);
        var pureError = RelativeUpdateError(pure, fp32);
        var lossGap = fp32.Losses.Zip(mixed.Losses, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"changed: mixed {mixedChanged:P2}, pure {pureChanged:P2}; update error vs fp32: mixed {mixedError:F4}, pure {pureError:F4}; max loss gap {lossGap:E2}");

        // Every weight that has a gradient moves by ~lr per step in fp32 master weights (fp32's spacing at 0.02 is
        // 2e-9, far below 5e-6). The only weights allowed to stay are rows of unseen tokens: none here.
        Assert.True(mixedChanged >= 0.99, $"only {mixedChanged:P2} of the master weights changed");

        // Pure bf16: an update of 5e-6 is below half the spacing of bf16 for |w| ≥ 2^-9, i.e. ~92% of normal(0, 0.02)
        // weights and every norm weight (1.0) cannot move at all.
        Assert.True(pureChanged < 0.2, $"pure bf16 changed {pureChanged:P2} of the weights; it was expected to lose most updates");

        // The mixed run's total update Δ = w_20 − w_0 against the fp32 run's: bf16 forward/backward carries ~3
        // significant digits, and Adam normalises each element by its own gradient scale, so elements whose gradient
        // is near zero may move differently; measured 0.02 (see output), bounded at 0.1 (5× margin for other
        // libtorch kernels). Pure bf16 misses ≥ 90% of the update (measured 0.97).
        Assert.True(mixedError < 0.1, $"mixed-precision update differs from the fp32 update by {mixedError:P1}");
        Assert.True(pureError > 0.9, $"pure bf16 update differs from the fp32 update by only {pureError:P1}");

        // Loss per step: the bf16 forward pass rounds activations (relative 2^-8); on summed log-probs of ~10
        // tokens × β = 0.1 that is at most a few 1e-3 of loss; measured 2.3e-4, bounded at 5e-3.
        Assert.True(lossGap < 5e-3, $"losses differ by up to {lossGap}");
    }

    [Fact]
    public void Bf16WithMasterWeights_ResumedFromCheckpoint_ReproducesLossesAndMasterWeightsBitwise()
    {
        var uninterrupted = Train("a", ScalarType.BFloat16, keepMaster: true, checkpointEvery: 7);
        var store = new CheckpointStore(Path.Combine(root, "b"));
        using (var cancel = new CancellationTokenSource())
        using (var model = CreateModel(ScalarType.BFloat16))
        {
            var stop = new SynchronousProgress<TrainingStepMetrics>(m =>
            {
                if (m.Step == 7)
                {
                    cancel.Cancel();
                }
            });
            Assert.Throws<OperationCanceledException>(() => RunDpo(model, store, keepMaster: true, checkpointEvery: 7, stop, cancel.Token));
        }

        var losses = new List<double>();
        using var resumedModel = CreateModel(ScalarType.BFloat16, seed: 99);
        var result = RunDpo(resumedModel, store, keepMaster: true, checkpointEvery: 7, new SynchronousProgress<TrainingStepMetrics>(m => losses.Add(m.Loss)), CancellationToken.None);

        Assert.Equal(7, result.ResumedFromStep);
        Assert.Equal(uninterrupted.Losses.Skip(7).Select(BitConverter.DoubleToInt64Bits), losses.Select(BitConverter.DoubleToInt64Bits));
        var resumedMasters = ReadMasters(result.FinalCheckpoint);
        foreach (var (name, expected) in uninterrupted.Final)
        {
            Assert.True(expected.SequenceEqual(resumedMasters[name]), $"master weight {name} differs after resume");
        }
    }

    private sealed record Run(IReadOnlyList<double> Losses, IReadOnlyDictionary<string, float[]> Initial, IReadOnlyDictionary<string, float[]> Final);

    private Run Train(string name, ScalarType dtype, bool keepMaster, int checkpointEvery = 0)
    {
        using var model = CreateModel(dtype);
        var initial = Snapshot(model);
        var losses = new List<double>();
        var result = RunDpo(model, new CheckpointStore(Path.Combine(root, name)), keepMaster, checkpointEvery, new SynchronousProgress<TrainingStepMetrics>(m => losses.Add(m.Loss)), CancellationToken.None);
        Assert.Equal(Steps, losses.Count);
        var final = dtype == ScalarType.BFloat16 && keepMaster ? ReadMasters(result.FinalCheckpoint) : Snapshot(model);
        return new Run(losses, initial, final);
    }

    private static TrainingResult RunDpo(LlamaForCausalLM model, CheckpointStore store, bool keepMaster, int checkpointEvery, IProgress<TrainingStepMetrics> progress, CancellationToken cancel)
    {
        var data = TrainingData.Preferences(Steps * 2, vocab: Config.VocabSize, seed: 11);
        var options = new DpoOptions
        {
            Beta = 0.1,
            Training = new TrainingOptions
            {
                LearningRate = LearningRate, MinLearningRateRatio = 1, BatchSize = 2, MaxGradNorm = 1.0, KeepMasterWeights = keepMaster,
                CheckpointEverySteps = checkpointEvery,
            },
        };
        return DpoTrainer.Train(model, data, () => Reference(data), options, store, progress, cancel, new LlamaWeightsFormat());
    }

    // The same fp32 reference for every run, so the runs differ only in how the policy trains.
    private static ReferenceLogProbs Reference(IReadOnlyList<PreferenceExample> data)
    {
        using var reference = CreateModel(ScalarType.Float32);
        return ReferenceLogProbs.Compute(reference, data, batchSize: 8, CPU);
    }

    // normal(0, 0.02) weights rounded to bf16, so the fp32 and bf16 runs start from identical values.
    private static LlamaForCausalLM CreateModel(ScalarType dtype, long seed = 5)
    {
        using var source = LlamaForCausalLM.Create(Config, ScalarType.Float32, CPU, seed);
        var model = LlamaForCausalLM.Create(Config, dtype, CPU, seed);
        using (no_grad())
        {
            foreach (var ((_, from), (_, to)) in source.named_parameters().Zip(model.named_parameters()))
            {
                using var rounded = from.to(ScalarType.BFloat16);
                to.copy_(rounded);
            }
        }

        return model;
    }

    private static Dictionary<string, float[]> Snapshot(LlamaForCausalLM model) =>
        model.named_parameters().ToDictionary(p => p.name, p =>
        {
            using var widened = p.parameter.detach().to(ScalarType.Float32);
            return widened.data<float>().ToArray();
        });

    private static Dictionary<string, float[]> ReadMasters(string checkpoint)
    {
        using var reader = SafetensorsReader.Open(Path.Combine(checkpoint, TrainingLoop.OptimizerFileName));
        return reader.Entries.Keys.Where(k => k.StartsWith("master/", StringComparison.Ordinal)).ToDictionary(k => k["master/".Length..], k =>
        {
            using var tensor = reader.Read(k);
            return tensor.data<float>().ToArray();
        });
    }

    private static double ChangedFraction(Run run)
    {
        long changed = 0, total = 0;
        foreach (var (name, before) in run.Initial)
        {
            var after = run.Final[name];
            changed += before.Zip(after).Count(p => p.First != p.Second);
            total += before.Length;
        }

        return (double)changed / total;
    }

    // ‖Δ_run − Δ_fp32‖ / ‖Δ_fp32‖ over all weights, Δ = final − initial.
    private static double RelativeUpdateError(Run run, Run fp32)
    {
        double difference = 0, reference = 0;
        foreach (var (name, before) in fp32.Initial)
        {
            for (var i = 0; i < before.Length; i++)
            {
                var expected = (double)fp32.Final[name][i] - before[i];
                var actual = (double)run.Final[name][i] - run.Initial[name][i];
                difference += (actual - expected) * (actual - expected);
                reference += expected * expected;
            }
        }

        return Math.Sqrt(difference / reference);
    }
}
