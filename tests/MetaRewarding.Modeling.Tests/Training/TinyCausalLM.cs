using MetaRewarding.Modeling.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Training;

/// <summary>
/// A tiny causal language model for testing the training code without the Llama model (it runs in milliseconds):
/// each position sees the running mean of the embeddings up to it, so completions depend on their prompt, and
/// padding (mask 0) is excluded from that mean. The training code only relies on (ids, mask) -> logits.
/// </summary>
internal sealed class TinyCausalLM : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Embedding embed;
    private readonly Linear mix;
    private readonly Linear head;

    public TinyCausalLM(int vocab = 32, int dim = 16, long seed = 1)
        : base(nameof(TinyCausalLM))
    {
        TorchRuntime.Initialize();
        manual_seed(seed);

        embed = nn.Embedding(vocab, dim);
        mix = nn.Linear(dim, dim);
        head = nn.Linear(dim, vocab);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var hidden = embed.forward(input);
        var weights = mask is null ? ones_like(input, ScalarType.Float32) : mask.to(ScalarType.Float32);
        var running = (hidden * weights.unsqueeze(-1)).cumsum(1) / weights.cumsum(1).clamp_min(1).unsqueeze(-1);
        var features = tanh(mix.forward(running)) + hidden;
        return head.forward(features).MoveToOuterDisposeScope();
    }
}
