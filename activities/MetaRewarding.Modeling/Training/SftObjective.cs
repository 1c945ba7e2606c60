using MetaRewarding.Modeling.Scoring;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Training;

/// <summary>
/// Supervised fine-tuning: cross-entropy on completion tokens only, averaged over all completion tokens of the
/// batch (so long completions weigh more, as in transformers' causal-LM loss with prompt labels set to -100).
/// </summary>
public sealed class SftObjective : ITrainingObjective
{
    private readonly IReadOnlyList<SftExample> dataset;
    private readonly int padTokenId;

    public SftObjective(IReadOnlyList<SftExample> dataset, int padTokenId = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        for (var i = 0; i < dataset.Count; i++)
        {
            if (dataset[i].PromptIds.Count == 0 || dataset[i].CompletionIds.Count == 0)
            {
                throw new ArgumentException(
                    $"SFT example {i} has an empty prompt or completion; drop it before training.", nameof(dataset));
            }
        }

        this.dataset = dataset;
        this.padTokenId = padTokenId;
    }

    public int ExampleCount => dataset.Count;

    public int MetricCount => 0;

    public double LossDenominator(IReadOnlyList<int> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch.Sum(i => (double)dataset[i].CompletionIds.Count);
    }

    public Tensor LossSum(nn.Module<Tensor, Tensor?, Tensor> model, IReadOnlyList<int> microBatch, Device device, double[] metricSums, out long tokens)
    {
        ArgumentNullException.ThrowIfNull(microBatch);
        var sequences = microBatch.Select(i => new CompletionSequence(dataset[i].PromptIds, dataset[i].CompletionIds)).ToArray();
        using var batch = CompletionBatch.Create(sequences, device, padTokenId);
        tokens = batch.RealTokens;
        return -CompletionLogProbs.PerToken(model, batch).sum();
    }

    public DpoStepMetrics? Summarise(double[] metricSums, int examples) => null;
}
