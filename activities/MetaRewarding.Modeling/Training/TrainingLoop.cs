using MetaRewarding.Modeling.Llama;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Training;

/// <summary>
/// The optimisation loop shared by DPO and SFT: AdamW, cosine schedule with warm-up, gradient accumulation,
/// clipping, one dispose scope per step, and resumable checkpoints (weights, optimizer, step, data position, RNG).
/// On CPU a run resumed at step k reproduces the uninterrupted run's losses bit for bit.
/// </summary>
public static class TrainingLoop
{
    public const string OptimizerFileName = "optimizer.safetensors";
    public const string WeightsFolderName = "model";

    /// <summary>
    /// Trains <paramref name="model"/> until the schedule's last step, resuming from the newest verified checkpoint
    /// in <paramref name="store"/> (corrupt ones are skipped and reported through <paramref name="onCheckpointRejected"/>).
    /// Cancellation is honoured between steps; the last written checkpoint stays valid. With
    /// <paramref name="heldOutLoss"/>, each checkpoint is scored by it (in eval mode, without gradients), the best one
    /// is never pruned, and the result names it.
    /// </summary>
    public static TrainingResult Run(
        nn.Module<Tensor, Tensor?, Tensor> model,
        ITrainingObjective objective,
        TrainingOptions options,
        CheckpointStore store,
        IModelWeightsFormat weights,
        IProgress<TrainingStepMetrics>? progress,
        CancellationToken cancellationToken,
        Action<CheckpointCorruptException>? onCheckpointRejected = null,
        Func<double>? heldOutLoss = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(weights);
        options.Validate();
        var count = objective.ExampleCount;
        if (count == 0)
        {
            throw new ArgumentException("The training dataset is empty; there is nothing to train on.", nameof(objective));
        }

        var totalSteps = options.TotalSteps(count);
        var schedule = new WarmupDecaySchedule(options.LearningRate, options.WarmupSteps, totalSteps, options.MinLearningRateRatio, options.Decay);
        using var stepper = new OptimizerStepper(model, objective, options);
        var optimizer = stepper.Optimizer;

        var step = 0;
        var position = new DataPosition(0, 0, options.ShuffleSeed);
        var resumed = store.FindNewestVerified(onCheckpointRejected);
        if (resumed is { } checkpoint)
        {
            var state = TrainerState.Load(checkpoint.Folder);
            state.EnsureCompatible(count, options, checkpoint.Folder);
            weights.Load(model, Path.Combine(checkpoint.Folder, WeightsFolderName));
            // After the weights: the optimizer writes its fp32 master weights over their rounded copies.
            optimizer.Load(Path.Combine(checkpoint.Folder, OptimizerFileName));
            using (var rng = tensor(Convert.FromBase64String(state.TorchRngStateBase64)))
            {
                random.set_rng_state(rng);
            }

            step = state.Step;
            position = state.Position;
        }

        var resumedFrom = step;
        var history = new List<TrainingStepMetrics>();
        var order = EpochOrder.Permutation(count, options.ShuffleSeed, position.Epoch);
        var finalCheckpoint = resumed?.Folder ?? string.Empty;
        model.train();
        while (step < totalSteps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(position.Index, Math.Min(options.BatchSize, count - position.Index)).ToArray();
            var learningRate = schedule.LearningRateAt(step);
            var outcome = stepper.Step(batch, learningRate, step + 1);
            step++;
            var epoch = position.Epoch;
            position = position.Index + batch.Length >= count
                ? position with { Epoch = position.Epoch + 1, Index = 0 }
                : position with { Index = position.Index + batch.Length };
            if (position.Epoch != epoch && step < totalSteps)
            {
                order = EpochOrder.Permutation(count, options.ShuffleSeed, position.Epoch);
            }

            var metrics = new TrainingStepMetrics(
                step, totalSteps, epoch, outcome.Loss, outcome.GradNorm, learningRate,
                outcome.Tokens / Math.Max(outcome.Elapsed.TotalSeconds, 1e-9), objective.Summarise(outcome.MetricSums, batch.Length));
            history.Add(metrics);
            progress?.Report(metrics);

            var checkpointDue = step == totalSteps || (options.CheckpointEverySteps > 0 && step % options.CheckpointEverySteps == 0);
            if (checkpointDue)
            {
                var score = heldOutLoss is null ? (double?)null : Score(model, heldOutLoss);
                finalCheckpoint = SaveCheckpoint(model, optimizer, weights, store, new TrainerState(
                    step, totalSteps, position, count, options.BatchSize, CurrentRngState(), score));
                store.Prune(options.KeepCheckpoints, BestStep(HeldOutLosses(store)));
            }
        }

        var losses = heldOutLoss is null ? new Dictionary<int, double>() : HeldOutLosses(store);
        return new TrainingResult(resumedFrom, totalSteps, history, finalCheckpoint)
        {
            BestCheckpoint = BestStep(losses) is { } best ? store.StepFolder(best) : null,
            HeldOutLosses = losses,
        };
    }

    private static double Score(nn.Module model, Func<double> heldOutLoss)
    {
        model.eval();
        try
        {
            using var noGrad = no_grad();
            return heldOutLoss();
        }
        finally
        {
            model.train();
        }
    }

    // The held-out losses recorded in the checkpoints on disk (a resumed run sees those of the attempts before it).
    // A checkpoint whose state cannot be read has no score (resume rejects it separately).
    private static Dictionary<int, double> HeldOutLosses(CheckpointStore store)
    {
        var losses = new Dictionary<int, double>();
        foreach (var step in store.Steps())
        {
            try
            {
                if (TrainerState.Load(store.StepFolder(step)).HeldOutLoss is { } loss)
                {
                    losses[step] = loss;
                }
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException or CheckpointCorruptException)
            {
                // Unscored.
            }
        }

        return losses;
    }

    private static int? BestStep(Dictionary<int, double> losses) =>
        losses.Count == 0 ? null : losses.OrderBy(l => l.Value).ThenBy(l => l.Key).First().Key;

    /// <summary>
    /// Runs forward and backward over <paramref name="batch"/> in micro-batches of <paramref name="microBatchSize"/>,
    /// each loss divided by the whole batch's denominator, so the accumulated gradient equals the gradient of the
    /// whole batch's loss. Returns that loss.
    /// </summary>
    public static double AccumulateGradients(
        nn.Module<Tensor, Tensor?, Tensor> model,
        ITrainingObjective objective,
        IReadOnlyList<int> batch,
        int microBatchSize,
        Device device,
        double[] metricSums,
        out long tokens)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(microBatchSize, 1);
        var denominator = objective.LossDenominator(batch);
        var loss = 0.0;
        tokens = 0;
        for (var start = 0; start < batch.Count; start += microBatchSize)
        {
            using var scope = NewDisposeScope();
            var micro = batch.Skip(start).Take(microBatchSize).ToArray();
            var scaled = objective.LossSum(model, micro, device, metricSums, out var microTokens) / denominator;
            CheckpointedDecoderLayer.Backward(scaled);
            loss += scaled.item<float>();
            tokens += microTokens;
        }

        return loss;
    }

    private static string SaveCheckpoint(
        nn.Module model, MasterWeightAdamW optimizer, IModelWeightsFormat weights, CheckpointStore store, TrainerState state) =>
        store.Save(state.Step, folder =>
        {
            var weightsFolder = Directory.CreateDirectory(Path.Combine(folder, WeightsFolderName)).FullName;
            weights.Save(model, weightsFolder);
            optimizer.Save(Path.Combine(folder, OptimizerFileName));
            state.Save(folder);
        });

    private static string CurrentRngState()
    {
        using var state = random.get_rng_state();
        return Convert.ToBase64String(state.data<byte>().ToArray());
    }
}
