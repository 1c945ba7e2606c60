using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Training;

/// <summary>The SFT entry point the training activity calls.</summary>
public static class SftTrainer
{
    /// <summary>Trains <paramref name="model"/> on completion-token cross-entropy, resuming from <paramref name="store"/>.</summary>
    public static TrainingResult Train(
        nn.Module<Tensor, Tensor?, Tensor> model,
        IReadOnlyList<SftExample> dataset,
        TrainingOptions options,
        CheckpointStore store,
        IProgress<TrainingStepMetrics>? progress,
        CancellationToken cancellationToken,
        IModelWeightsFormat? weights = null,
        Action<CheckpointCorruptException>? onCheckpointRejected = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var objective = new SftObjective(dataset, options.PadTokenId);
        return TrainingLoop.Run(model, objective, options, store, weights ?? new TorchSharpWeightsFormat(), progress, cancellationToken, onCheckpointRejected);
    }
}
