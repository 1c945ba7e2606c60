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
        var reference = LoadOrComputeReference(store, computeReference, onCheckpointRejected);
        var objective = new DpoObjective(dataset, reference, options);
        return TrainingLoop.Run(policy, objective, options.Training, store, weights ?? new TorchSharpWeightsFormat(), progress, cancellationToken, onCheckpointRejected);
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
