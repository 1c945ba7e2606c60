using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Modeling.Training;

namespace MetaRewarding.Activities.Sources;

/// <summary>
/// A real run's M_0: the base model folder as it is (checked to load, referenced by its absolute path), or, with
/// <c>seedSft</c>, that model after SFT on the demonstrations.
/// </summary>
internal static class RealSeed
{
    public static ArtifactRef Prepare(SeedContext context)
    {
        var run = context.Run;
        var baseFolder = run.Input.BaseModel
            ?? throw new ConfigurationException("a real run needs baseModel (a Hugging Face model folder); set it, or give sandbox settings for a sandbox run");
        var baseRef = ArtifactStore.DescribeExternal(Path.GetFullPath(baseFolder));
        if (run.Configuration.SeedSft is not { } sft)
        {
            // Loading it proves the folder is a usable Llama checkpoint before any GPU hour is spent on it.
            context.Cache.Use(context.Store, baseRef, _ => true);
            return baseRef;
        }

        return context.Store.TryGetFolder(context.Output) ?? Train(context, baseRef, sft);
    }

    private static ArtifactRef Train(SeedContext context, ArtifactRef baseRef, SeedSftSettings sft)
    {
        var (store, cache, options, run, heartbeat) = (context.Store, context.Cache, context.Options, context.Run, context.Heartbeat);
        var loaded = cache.Load(baseRef.Sha256, store.Resolve(baseRef));
        try
        {
            var examples = ReadDemonstrations(sft.Dataset, run.Configuration.MalformedLines, loaded);
            if (examples.Count == 0)
            {
                throw new ConfigurationException($"seedSft.dataset '{sft.Dataset}' has no usable demonstration; give one {{\"prompt\", \"completion\"}} per line");
            }

            var batch = sft.GlobalBatchSize;
            var steps = sft.Epochs * ((examples.Count + batch - 1) / batch);
            var training = new TrainingOptions
            {
                LearningRate = sft.LearningRate,
                WarmupSteps = (int)Math.Ceiling(sft.WarmupRatio * steps),
                BatchSize = batch,
                MicroBatchSize = Math.Min(batch, options.TrainingMicroBatchSize),
                Epochs = sft.Epochs,
                MaxGradNorm = sft.MaxGradNorm,
                ShuffleSeed = StepSeeds.ForInt(run.Configuration.Seed, 0, StepSeeds.SeedModel, "shuffle"),
                CheckpointEverySteps = options.SeedCheckpointEverySteps,
                PadTokenId = loaded.PadTokenId,
            };
            var checkpoints = new CheckpointStore(store.FullPath(context.Checkpoints));
            SftTrainer.Train(loaded.Model, examples, training, checkpoints, SeedModelPreparation.TrainingProgress(heartbeat, "seed-sft", checkpoints), heartbeat.CancellationToken, new LlamaWeightsFormat());
            loaded.Model.eval();
            var written = store.WriteFolder(context.Output, folder =>
            {
                loaded.Model.SavePretrained(folder);
                ModelFolders.CopyTokenizerFiles(loaded.Folder, folder);
            });
            cache.Put(new LoadedModel(written.Sha256, store.FullPath(written.Path), loaded.Model, loaded.Chat));
            return written;
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    private static List<Modeling.Training.SftExample> ReadDemonstrations(string path, MalformedLinePolicy policy, LoadedModel model)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"seedSft.dataset '{path}' does not exist; give the absolute path of a JSONL file of {{\"prompt\", \"completion\"}} lines");
        }

        var log = new MalformedLineLog(policy);
        return
        [
            .. JsonlReader.ReadFile(path, ModelJsonContext.Default.SftDemonstrationRecord, log)
                .Select(line => new Modeling.Training.SftExample(model.PromptIds(line.Record.Prompt), model.Chat.RenderAssistantReply(line.Record.Completion))),
        ];
    }
}
