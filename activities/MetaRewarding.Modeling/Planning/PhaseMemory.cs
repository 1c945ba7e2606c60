namespace MetaRewarding.Modeling.Planning;

/// <summary>The device bytes one phase needs at its peak, by kind.</summary>
public sealed record PhaseMemory(string Phase, long Weights, long Gradients, long Optimizer, long Activations, long KvCache, long Reserve)
{
    public long Total => Weights + Gradients + Optimizer + Activations + KvCache + Reserve;
}
