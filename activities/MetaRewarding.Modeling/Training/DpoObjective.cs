using MetaRewarding.Modeling.Scoring;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Training;

/// <summary>
/// Sigmoid DPO over a preference dataset with cached reference log-probs, plus the optional length-normalised NLL
/// term on the chosen completion. The loss of a batch is the mean over its pairs of
/// (DPO loss + α · NLL_per_token(chosen)); chosen and rejected go through the model in one forward pass.
/// </summary>
public sealed class DpoObjective : ITrainingObjective
{
    private const int ChosenRewardSum = 0, RejectedRewardSum = 1, CorrectSum = 2, MarginSum = 3, NllSum = 4;
    private readonly IReadOnlyList<PreferenceExample> dataset;
    private readonly ReferenceLogProbs reference;
    private readonly DpoOptions options;

    public DpoObjective(IReadOnlyList<PreferenceExample> dataset, ReferenceLogProbs reference, DpoOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (reference.Count != dataset.Count)
        {
            throw new ArgumentException(
                $"The reference log-probs cover {reference.Count} pairs but the dataset has {dataset.Count}; " +
                "recompute them for this dataset.", nameof(reference));
        }

        for (var i = 0; i < dataset.Count; i++)
        {
            var e = dataset[i];
            if (e.PromptIds.Count == 0 || e.ChosenIds.Count == 0 || e.RejectedIds.Count == 0)
            {
                throw new ArgumentException(
                    $"Preference example {i} has an empty prompt, chosen or rejected completion; drop it before training.", nameof(dataset));
            }
        }

        this.dataset = dataset;
        this.reference = reference;
        this.options = options;
    }

    public int ExampleCount => dataset.Count;

    public int MetricCount => 5;

    public double LossDenominator(IReadOnlyList<int> batch) => batch.Count;

    public Tensor LossSum(nn.Module<Tensor, Tensor?, Tensor> model, IReadOnlyList<int> microBatch, Device device, double[] metricSums, out long tokens)
    {
        ArgumentNullException.ThrowIfNull(microBatch);
        ArgumentNullException.ThrowIfNull(metricSums);
        var n = microBatch.Count;
        var sequences = new CompletionSequence[2 * n];
        var referenceChosen = new float[n];
        var referenceRejected = new float[n];
        var chosenLengths = new float[n];
        for (var i = 0; i < n; i++)
        {
            var e = dataset[microBatch[i]];
            sequences[i] = new CompletionSequence(e.PromptIds, e.ChosenIds);
            sequences[n + i] = new CompletionSequence(e.PromptIds, e.RejectedIds);
            referenceChosen[i] = (float)reference.Chosen[microBatch[i]];
            referenceRejected[i] = (float)reference.Rejected[microBatch[i]];
            chosenLengths[i] = e.ChosenIds.Count;
        }

        using var batch = CompletionBatch.Create(sequences, device, options.Training.PadTokenId);
        tokens = batch.RealTokens;
        var sums = CompletionLogProbs.Sum(model, batch);
        var policyChosen = sums.narrow(0, 0, n);
        var policyRejected = sums.narrow(0, n, n);
        var terms = DpoLoss.Compute(policyChosen, policyRejected, tensor(referenceChosen, device: device), tensor(referenceRejected, device: device), options.Beta);
        var nll = -policyChosen / tensor(chosenLengths, device: device);
        var lossSum = terms.Losses.sum();
        if (options.NllWeight > 0)
        {
            lossSum = lossSum + (options.NllWeight * nll.sum());
        }

        var chosenRewards = terms.ChosenRewards.to(ScalarType.Float64);
        var rejectedRewards = terms.RejectedRewards.to(ScalarType.Float64);
        metricSums[ChosenRewardSum] += chosenRewards.sum().item<double>();
        metricSums[RejectedRewardSum] += rejectedRewards.sum().item<double>();
        metricSums[CorrectSum] += (chosenRewards > rejectedRewards).sum().item<long>();
        metricSums[MarginSum] += (chosenRewards - rejectedRewards).sum().item<double>();
        metricSums[NllSum] += nll.detach().to(ScalarType.Float64).sum().item<double>();
        return lossSum;
    }

    public DpoStepMetrics? Summarise(double[] metricSums, int examples)
    {
        ArgumentNullException.ThrowIfNull(metricSums);
        return new DpoStepMetrics(
            metricSums[ChosenRewardSum] / examples,
            metricSums[RejectedRewardSum] / examples,
            metricSums[CorrectSum] / examples,
            metricSums[MarginSum] / examples,
            metricSums[NllSum] / examples);
    }
}
