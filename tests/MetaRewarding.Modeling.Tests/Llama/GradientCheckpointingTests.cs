using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Lora;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Modeling.Scoring;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Llama;

/// <summary>
/// Activation checkpointing recomputes each layer in backward: the loss and every parameter's gradient must be what
/// the plain model computes. The recompute runs the same kernels on the same inputs in the same order, so on CPU the
/// results are expected to be bit-identical; the stated tolerance (1e-6 relative to the largest gradient element)
/// leaves room only for a libtorch that reorders a reduction.
/// </summary>
public sealed class GradientCheckpointingTests
{
    private static readonly LlamaConfig Config = new()
    {
        VocabSize = 64, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 3, NumAttentionHeads = 4,
        NumKeyValueHeads = 2, HeadDim = 8, MaxPositionEmbeddings = 64,
    };

    public GradientCheckpointingTests() => TorchRuntime.Initialize();

    // With LoRA dropout the recompute must draw the same masks as the forward pass (and as the plain model).
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Checkpointed_SameLossAndGradientsAsPlain(bool padded, bool loraWithDropout)
    {
        var (plainLoss, plainGrads) = LossAndGradients(checkpointing: false, padded, loraWithDropout);
        var before = CheckpointedDecoderLayer.Recomputations;
        var (checkpointedLoss, checkpointedGrads) = LossAndGradients(checkpointing: true, padded, loraWithDropout);

        Assert.True(CheckpointedDecoderLayer.Recomputations - before >= Config.NumHiddenLayers, "the layers were not recomputed in backward");

        Assert.Equal(plainLoss, checkpointedLoss, 6);
        Assert.Equal(plainGrads.Keys, checkpointedGrads.Keys);
        foreach (var (name, expected) in plainGrads)
        {
            var actual = checkpointedGrads[name];
            var scale = Math.Max(1e-12, expected.Max(Math.Abs));
            var worst = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-6 * scale, $"{name}: gradients differ by {worst} (largest element {scale})");
        }
    }

    [Fact]
    public void Checkpointed_WithoutGrad_IsThePlainForward()
    {
        using var model = LlamaForCausalLM.Create(Config, ScalarType.Float32, CPU, seed: 4);
        using var ids = tensor(new long[] { 1, 5, 9, 13, 2, 7 }).view(1, 6);
        using var expected = model.forward(ids, null);
        model.GradientCheckpointing = true;
        using var noGrad = no_grad();
        using var actual = model.forward(ids, null);

        Assert.True(expected.equal(actual).all().item<bool>());
    }

    private static (double Loss, Dictionary<string, float[]> Gradients) LossAndGradients(bool checkpointing, bool padded, bool loraWithDropout)
    {
        using var model = LlamaForCausalLM.Create(Config, ScalarType.Float32, CPU, seed: 4);
        using var lora = loraWithDropout ? LoraAdapters.Attach(model, new LoraOptions(4, 8, 0.3, ["q_proj", "up_proj"]), seed: 2) : null;
        manual_seed(11);
        model.train();
        model.GradientCheckpointing = checkpointing;
        var sequences = new[]
        {
            new CompletionSequence([1, 2, 3], [4, 5, 6, 7]),
            new CompletionSequence(padded ? [8] : [8, 9, 10], padded ? [11, 12] : [11, 12, 13, 14]),
        };
        using var scope = NewDisposeScope();
        using var batch = CompletionBatch.Create(sequences, CPU, padTokenId: 0);
        var loss = -CompletionLogProbs.Sum(model, batch).sum();
        CheckpointedDecoderLayer.Backward(loss);
        var gradients = model.named_parameters().Where(p => p.parameter.requires_grad).ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray());
        return (loss.item<float>(), gradients);
    }
}
