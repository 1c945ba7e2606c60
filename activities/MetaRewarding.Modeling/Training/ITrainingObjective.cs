using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Training;

/// <summary>
/// A loss over a dataset addressed by example index. A batch's loss is Σ(per-micro-batch sums) / denominator, so
/// accumulating micro-batch gradients of sum / denominator gives exactly the big batch's gradient.
/// </summary>
public interface ITrainingObjective
{
    int ExampleCount { get; }

    /// <summary>Number of metric sums <see cref="LossSum"/> adds to.</summary>
    int MetricCount { get; }

    /// <summary>What the whole batch's loss sum is divided by (examples for DPO, completion tokens for SFT).</summary>
    double LossDenominator(IReadOnlyList<int> batch);

    /// <summary>
    /// Forward pass over <paramref name="microBatch"/>: returns the un-normalised loss sum (a differentiable scalar),
    /// adds per-example metric sums into <paramref name="metricSums"/>, and reports the real tokens processed.
    /// </summary>
    Tensor LossSum(nn.Module<Tensor, Tensor?, Tensor> model, IReadOnlyList<int> microBatch, Device device, double[] metricSums, out long tokens);

    /// <summary>Turns the step's metric sums over <paramref name="examples"/> examples into reported figures.</summary>
    DpoStepMetrics? Summarise(double[] metricSums, int examples);
}
