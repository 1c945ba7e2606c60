using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Llama;

/// <summary>
/// Activation checkpointing of one decoder layer (TorchSharp has no torch.utils.checkpoint): the forward pass runs
/// the layer without building its graph and keeps only the layer's input (and the rotary cos/sin and mask); the
/// backward pass runs the layer again under grad mode on a detached copy of that input and back-propagates the
/// incoming gradient through it, which accumulates the layer's parameter gradients and yields the input's gradient.
/// Memory per layer falls from every intermediate of attention and MLP to one hidden-state tensor; each step costs
/// one more forward pass. Traps (measured, docs in README.md "Train Llama-3-8B on one GPU"): grad mode is off inside
/// backward; an exception thrown inside the native callback would abort the process, so it is kept and rethrown by
/// <see cref="Backward"/>; exactly one gradient per argument; tensors must be kept with save_for_backward.
/// </summary>
internal sealed class CheckpointedDecoderLayer : autograd.SingleTensorFunction<CheckpointedDecoderLayer>
{
    private const string LayerKey = "layer", CausalKey = "causal", SeedKey = "seed";

    // Backward callbacks may run on libtorch's worker threads (CUDA): a failure is handed over through this field.
    private static ExceptionDispatchInfo? pendingFailure;

    private static long recomputations;

    public override string Name => nameof(CheckpointedDecoderLayer);

    /// <summary>Layer recomputations in backward so far, in this process (tests check that checkpointing ran).</summary>
    public static long Recomputations => Interlocked.Read(ref recomputations);

    /// <summary>
    /// The layer's output for <paramref name="hidden"/>, recomputed in backward instead of stored. The input must
    /// take part in autograd, or libtorch builds no node and the layer's parameters would silently get no gradient:
    /// a hidden state that does not require grad (frozen embeddings, as with LoRA) is detached and made to.
    /// </summary>
    public static Tensor Run(LlamaDecoderLayer layer, Tensor hidden, AttentionInputs inputs)
    {
        var input = hidden.requires_grad ? hidden : hidden.detach().requires_grad_(true);

        return apply(input, layer, inputs.Cos, inputs.Sin, inputs.Mask, inputs.IsCausal, DrawLayerSeed(layer));
    }

    /// <summary>
    /// The seed a training layer with dropout (LoRA's) runs under, so that a recompute draws the same masks; null
    /// when it draws nothing. The plain path seeds its layers the same way, so checkpointing does not change results.
    /// </summary>
    public static long? DrawLayerSeed(LlamaDecoderLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (!layer.DrawsRandomNumbers || !layer.training)
        {
            return null;
        }

        using var drawn = randint(long.MaxValue, [1], dtype: ScalarType.Int64);
        return drawn.item<long>();
    }

    /// <summary>Runs <paramref name="loss"/>.backward() and rethrows what failed inside a checkpointed layer's recompute.</summary>
    public static void Backward(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        try
        {
            loss.backward();
        }
        catch (Exception) when (Interlocked.Exchange(ref pendingFailure, null) is { } failure)
        {
            failure.Throw();
        }

        Interlocked.Exchange(ref pendingFailure, null)?.Throw();
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (input, layer, cos, sin, mask, isCausal, seed) = Unpack(vars);
        ctx.save_for_backward([input, cos, sin, mask!]);
        ctx.save_data(LayerKey, layer);
        ctx.save_data(CausalKey, isCausal);
        ctx.save_data(SeedKey, seed ?? -1L);
        if (seed is { } s)
        {
            manual_seed(s);
        }

        return layer.Forward(input, new AttentionInputs(cos, sin, mask, isCausal, null));
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        try
        {
            var saved = ctx.get_saved_variables();
            var layer = (LlamaDecoderLayer)ctx.get_data(LayerKey);
            var isCausal = (bool)ctx.get_data(CausalKey);
            var seed = (long)ctx.get_data(SeedKey);
            Tensor inputGrad;
            using (var scope = NewDisposeScope())
            using (enable_grad())
            {
                if (seed >= 0)
                {
                    manual_seed(seed);
                }

                var input = saved[0].detach().requires_grad_(true);
                var output = layer.Forward(input, new AttentionInputs(saved[1], saved[2], saved[3], isCausal, null));
                autograd.backward([output], [grad_output]);
                inputGrad = input.grad!.MoveToOuterDisposeScope();
            }

            Interlocked.Increment(ref recomputations);

            // One gradient per argument of apply: input, layer, cos, sin, mask, isCausal, seed.
            return [inputGrad, null!, null!, null!, null!, null!, null!];
        }
        catch (Exception e)
        {
            // Throwing here would abort the process. Keep the failure, and hand libtorch a gradient of the wrong
            // shape: it refuses it with an error that surfaces in backward(), where Backward rethrows this one.
            Interlocked.Exchange(ref pendingFailure, ExceptionDispatchInfo.Capture(e));
            return [zeros(1), null!, null!, null!, null!, null!, null!];
        }
    }

    private static (Tensor Input, LlamaDecoderLayer Layer, Tensor Cos, Tensor Sin, Tensor? Mask, bool IsCausal, long? Seed) Unpack(object[] vars) =>
        ((Tensor)vars[0], (LlamaDecoderLayer)vars[1], (Tensor)vars[2], (Tensor)vars[3], vars[4] as Tensor, (bool)vars[5], vars[6] as long?);
}
