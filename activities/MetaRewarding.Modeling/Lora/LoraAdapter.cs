using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Lora;

/// <summary>
/// The adapter of one projection: its <c>lora_A</c> [r, in] and <c>lora_B</c> [out, r] in fp32 (as PEFT keeps adapters
/// of a bf16 model: autocast_adapter_dtype), the scale α / r, and the dropout on its input while training.
/// </summary>
internal sealed class LoraAdapter : IDisposable
{
    public LoraAdapter(LoraMatrix a, LoraMatrix b, double scaling, double dropout)
    {
        A = a;
        B = b;
        Scaling = scaling;
        Dropout = dropout;
    }

    public LoraMatrix A { get; }

    public LoraMatrix B { get; }

    public double Scaling { get; }

    public double Dropout { get; }

    /// <summary>False while the model acts as its own base (the DPO reference): the adapter adds nothing.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// <paramref name="output"/> + scaling · B A dropout(<paramref name="input"/>), the adapter path computed in fp32
    /// and added in the output's dtype (PEFT casts the input to the adapter's dtype the same way).
    /// </summary>
    public Tensor AddTo(Tensor output, Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.to_type(A.Weight.dtype);
        if (Dropout > 0 && A.training)
        {
            x = nn.functional.dropout(x, Dropout, training: true);
        }

        var update = nn.functional.linear(nn.functional.linear(x, A.Weight), B.Weight).mul(Scaling);
        return output.add(update.to_type(output.dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>scaling · B A in fp32, what merging adds to the projection's weight.</summary>
    public Tensor Delta()
    {
        using var noGrad = no_grad();
        return B.Weight.matmul(A.Weight).mul_(Scaling);
    }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }
}
