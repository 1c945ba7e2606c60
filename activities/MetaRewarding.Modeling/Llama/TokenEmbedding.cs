using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Llama;

/// <summary>Token embedding table <c>weight</c> [vocab, hidden]; allocated uninitialised like <see cref="ProjectionWeight"/>.</summary>
internal sealed class TokenEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    public TokenEmbedding(long vocabSize, long hiddenSize, ScalarType dtype, Device device) : base("embed_tokens")
    {
        weight = new Parameter(empty([vocabSize, hiddenSize], dtype, device));
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public override Tensor forward(Tensor inputIds)
    {
        using var flat = inputIds.reshape(-1);
        using var rows = weight.index_select(0, flat);
        return rows.view(inputIds.shape[0], inputIds.shape[1], weight.shape[1]);
    }
}
