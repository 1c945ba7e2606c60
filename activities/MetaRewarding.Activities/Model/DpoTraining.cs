using System.Text.Json;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Modeling.Training;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// TrainDpo: M_t → M_{t+1} on the iteration's pairs. The prompt of a pair is already rendered by its role
/// template (actor or judge) and goes through the chat template as the user turn; chosen and rejected are assistant
/// replies. Reference log-probs are computed once by M_t and kept in the store next to the checkpoints
/// (<c>iteration-{t}/dpo/checkpoints/reference/</c>), so a retry does not recompute them; training resumes from
/// the newest verified checkpoint. Output: <c>iteration-{t}/model/</c> and <c>iteration-{t}/dpo/training.json</c>.
/// Zero pairs: M_t is returned unchanged with <c>Steps = 0</c> and NaN figures (nothing was measured; the payload
/// needs <c>RunPayloadConverter</c>). A non-finite loss fails non-retryably as <c>DivergedTraining</c> and deletes the
/// iteration's DPO checkpoints (a reset after fixing the settings restarts from M_t). Changing other DPO settings
/// than the batch size or epochs before a reset is not detected by the checkpoints: delete
/// <c>iteration-{t}/dpo/checkpoints</c> to start over.
/// Loss, reward accuracy and margin are the means over the final epoch's steps run by the call that finished the
/// training (on a resume inside the last epoch: its remaining steps).
/// </summary>
internal sealed class DpoTraining(ArtifactStore store, LoadedModelCache cache, ModelActivitiesOptions options, TrainingSignals signals)
{
    private const string SummaryFileName = "training.json";

    /// <summary>How Modeling's OptimizerStepper starts the message of a step it refuses for a non-finite loss.</summary>

    public async Task<TrainingOutput> RunAsync(TrainingInput input, RunDefinition run, ActivityHeartbeat heartbeat)
    {
        var context = input.Context;
        var iterationFolder = $"iteration-{context.Iteration}";
        var output = ArtifactStore.RunPath(context.RunId, iterationFolder, "model");
        var summaryPath = ArtifactStore.RunPath(context.RunId, iterationFolder, "dpo", SummaryFileName);
        if (store.TryGetFolder(output) is { } model && store.TryGetFile(summaryPath) is { } summaryRef)
        {
            var summary = JsonSerializer.Deserialize<TrainingOutput>(await store.ReadAllTextAsync(summaryRef, heartbeat.CancellationToken), ArtifactJson.Options);
            if (summary is not null && summary.Model == model)
            {
                return summary;
            }
        }

        var settings = run.Iteration(context.Iteration);
        var pairs = JsonlArtifacts.Read(store, input.Pairs, DatasetJsonContext.Default.PreferencePairRecord, run.Configuration.MalformedLines);
        if (pairs.Count == 0)
        {
            return new TrainingOutput(context.Model, 0, 0, double.NaN, double.NaN, double.NaN);
        }

        var policy = cache.Load(context.Model.Sha256, store.Resolve(context.Model, ArtifactCheck.ManifestOnly));
        try
        {
            var dataset = pairs.Select(p => new PreferenceExample(
                policy.PromptIds(p.Prompt), policy.Chat.RenderAssistantReply(p.Chosen), policy.Chat.RenderAssistantReply(p.Rejected))).ToList();
            var dpo = Options(settings.Dpo, dataset.Count, policy.PadTokenId, StepSeeds.ForInt(run.Configuration.Seed, context.Iteration, StepSeeds.Dpo, "shuffle"));
            var checkpoints = new Modeling.Training.CheckpointStore(store.FullPath(ArtifactStore.RunPath(context.RunId, iterationFolder, "dpo", "checkpoints")));
            var heartbeatProgress = SeedModelPreparation.TrainingProgress(heartbeat, "dpo", checkpoints);
            var progress = new SyncProgress<TrainingStepMetrics>(m =>
            {
                heartbeatProgress.Report(m);
                signals.Report(new TrainingProgress(m.Step, m.TotalSteps, m.Loss));
            });
            TrainingResult result;
            try
            {
                result = DpoTrainer.Train(
                    policy.Model,
                    dataset,
                    () => ReferenceLogProbs.Compute(policy.Model, dataset, options.ScoringBatchSize, cache.Device),
                    dpo,
                    checkpoints,
                    progress,
                    heartbeat.CancellationToken,
                    new LlamaWeightsFormat());
            }
            catch (TrainingDivergedException e)
            {
                // The trainer refuses a step whose loss is not finite. Resuming would replay the same batch on the
                // same weights and fail again, so retrying cannot help. Drop the checkpoints (not the reference
                // log-probs) so that a reset after fixing the settings starts from M_t.
                foreach (var step in checkpoints.Steps())
                {
                    Directory.Delete(checkpoints.StepFolder(step), recursive: true);
                }

                throw ActivityFailures.DivergedTraining(
                    $"DPO of iteration {context.Iteration} diverged ({e.Message}) Lower dpo.learningRate or enable dpo.maxGradNorm, check the pairs, " +
                    "then reset the workflow to TrainDpo; its checkpoints were deleted so it starts again from M_t.",
                    e);
            }

            signals.Flush();
            var lastEpoch = result.Steps.Count == 0 ? -1 : result.Steps[^1].Epoch;
            var final = result.Steps.Where(s => s.Epoch == lastEpoch).ToList();
            policy.Model.eval();
            var written = store.WriteFolder(output, folder =>
            {
                policy.Model.SavePretrained(folder);
                ModelFolders.CopyTokenizerFiles(policy.Folder, folder);
            });
            var training = new TrainingOutput(
                written,
                result.TotalSteps,
                dataset.Count,
                final.Count == 0 ? double.NaN : final.Average(s => s.Loss),
                final.Count == 0 ? double.NaN : final.Average(s => s.Dpo?.Accuracy ?? double.NaN),
                final.Count == 0 ? double.NaN : final.Average(s => s.Dpo?.Margin ?? double.NaN));
            await store.WriteJsonAsync(summaryPath, training, ArtifactJson.Options, heartbeat.CancellationToken);
            cache.Put(new LoadedModel(written.Sha256, store.FullPath(written.Path), policy.Model, policy.Chat));
            return training;
        }
        catch
        {
            policy.Dispose();
            throw;
        }
    }

    /// <summary>The trainer's options for an iteration's <see cref="DpoSettings"/>.</summary>
    internal DpoOptions Options(DpoSettings settings, int pairs, int padTokenId, int shuffleSeed)
    {
        // Validation refuses the others before the run starts; a run.json written before it did is refused here.
        if (!DpoSettings.TrainedSchedules.Contains(settings.LearningRateSchedule))
        {
            throw new ConfigurationException($"dpo.learningRateSchedule '{settings.LearningRateSchedule}' is not supported by the trainer; use 'cosine' or 'constant'");
        }

        var steps = settings.Epochs * ((pairs + settings.GlobalBatchSize - 1) / settings.GlobalBatchSize);
        return new DpoOptions
        {
            Beta = settings.Beta,
            NllWeight = settings.RpoAlpha ?? 0,
            Training = new TrainingOptions
            {
                LearningRate = settings.LearningRate,
                WarmupSteps = (int)Math.Ceiling(settings.WarmupRatio * steps),
                // A cosine whose floor is its peak is the constant schedule.
                MinLearningRateRatio = settings.LearningRateSchedule == LearningRateSchedule.Constant ? 1 : 0,
                BatchSize = settings.GlobalBatchSize,
                MicroBatchSize = Math.Min(settings.GlobalBatchSize, options.TrainingMicroBatchSize),
                Epochs = settings.Epochs,
                MaxGradNorm = settings.MaxGradNorm,
                ShuffleSeed = shuffleSeed,
                CheckpointEverySteps = Math.Max(1, steps / Math.Max(1, options.DpoCheckpointsPerRun)),
                PadTokenId = padTokenId,
            },
        };
    }
}
