using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Training;

/// <summary>The DPO entry point the training activity calls.</summary>
public static class DpoTrainer
{
    public const string ReferenceFolderName = "reference";

    /// <summary>
    /// Trains <paramref name="policy"/> with DPO on <paramref name="dataset"/>, resuming from the newest verified
    /// checkpoint in <paramref name="store"/>. The reference log-probs come from the store when an earlier attempt
    /// saved them; otherwise <paramref name="computeReference"/> is called once (load the reference model inside it,
    /// e.g. with <see cref="ReferenceLogProbs.Compute"/>, and let it go) and its result is saved for later attempts.
    /// With <see cref="DpoOptions.HeldOutFraction"/> a seeded share of the pairs is held out, every checkpoint is scored
    /// by its DPO loss on them, and <paramref name="policy"/> ends with the best checkpoint's weights.
    /// </summary>
    public static TrainingResult Train(
        nn.Module<Tensor, Tensor?, Tensor> policy,
        IReadOnlyList<PreferenceExample> dataset,
        Func<ReferenceLogProbs> computeReference,
        DpoOptions options,
        CheckpointStore store,
        IProgress<TrainingStepMetrics>? progress,
        CancellationToken cancellationToken,
        IModelWeightsFormat? weights = null,
        Action<CheckpointCorruptException>? onCheckpointRejected = null)
    {
        ArgumentNullException.ThrowIfNull(computeReference);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        options.Validate();
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(dataset);
        var reference = LoadOrComputeReference(store, computeReference, onCheckpointRejected);
        var (train, heldOut) = HeldOutSplit(dataset.Count, options.HeldOutFraction, options.Training.ShuffleSeed);
        var objective = new DpoObjective(Pick(dataset, train), Pick(reference, train), options);
        Func<double>? heldOutLoss = null;
        if (heldOut.Length > 0)
        {
            var evaluation = new DpoObjective(Pick(dataset, heldOut), Pick(reference, heldOut), options);
            var device = policy.parameters().First().device;
            heldOutLoss = () => MeanLoss(policy, evaluation, options.Training.EffectiveMicroBatchSize, device);
        }

        var format = weights ?? new TorchSharpWeightsFormat();
        var result = TrainingLoop.Run(policy, objective, options.Training, store, format, progress, cancellationToken, onCheckpointRejected, heldOutLoss);
        if (result.BestCheckpoint is { } best && best != result.FinalCheckpoint)
        {
            // Selection: the trained model is the checkpoint that did best on the held-out pairs.
            format.Load(policy, Path.Combine(best, TrainingLoop.WeightsFolderName));
        }

        return result;
    }

    /// <summary>
    /// Pair indices for training and for held-out selection: ⌈fraction · count⌉ pairs (at least one when the fraction
    /// is positive, never all), chosen by a permutation seeded with <paramref name="seed"/>; both lists ascending.
    /// </summary>
    public static (int[] Train, int[] HeldOut) HeldOutSplit(int count, double fraction, int seed)
    {
        var held = fraction <= 0 || count < 2 ? 0 : Math.Clamp((int)Math.Ceiling(fraction * count), 1, count - 1);
        var order = EpochOrder.Permutation(count, seed, epoch: -1);
        return ([.. order.Skip(held).Order()], [.. order.Take(held).Order()]);
    }

    private static IReadOnlyList<PreferenceExample> Pick(IReadOnlyList<PreferenceExample> dataset, int[] indices) =>
        indices.Length == dataset.Count ? dataset : [.. indices.Select(i => dataset[i])];

    private static ReferenceLogProbs Pick(ReferenceLogProbs reference, int[] indices) =>
        indices.Length == reference.Count ? reference : new ReferenceLogProbs([.. indices.Select(i => reference.Chosen[i])], [.. indices.Select(i => reference.Rejected[i])]);

    // The mean DPO loss over the held-out pairs (the caller has turned gradients off).
    private static double MeanLoss(nn.Module<Tensor, Tensor?, Tensor> policy, DpoObjective objective, int microBatch, Device device)
    {
        var sums = new double[objective.MetricCount];
        var total = 0.0;
        for (var start = 0; start < objective.ExampleCount; start += microBatch)
        {
            using var scope = NewDisposeScope();
            var micro = Enumerable.Range(start, Math.Min(microBatch, objective.ExampleCount - start)).ToArray();
            total += objective.LossSum(policy, micro, device, sums, out _).item<float>();
        }

        return total / objective.ExampleCount;
    }

    private static ReferenceLogProbs LoadOrComputeReference(
        CheckpointStore store, Func<ReferenceLogProbs> computeReference, Action<CheckpointCorruptException>? onRejected)
    {
        try
        {
            if (store.FindVerifiedFolder(ReferenceFolderName) is { } folder)
            {
                return ReferenceLogProbs.Load(Path.Combine(folder, ReferenceLogProbs.FileName));
            }
        }
        catch (CheckpointCorruptException e)
        {
            onRejected?.Invoke(e);
        }

        var reference = computeReference();
        reference.EnsureFinite();
        store.SaveFolder(ReferenceFolderName, folder => reference.Save(Path.Combine(folder, ReferenceLogProbs.FileName)));
        return reference;
    }
}
