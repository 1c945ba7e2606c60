using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Modeling.Training;
using MetaRewarding.Sandbox.Sft;
using MetaRewarding.Tokenization;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// Makes M_0. Sandbox: a fresh tiny Llama, SFT on the sandbox mix (batch 64, lr 3e-3 cosine, warm-up 50),
/// checkpointed under <c>seed/sft-checkpoints</c> and resumed from the newest verified checkpoint on a new attempt.
/// Real run: the base model folder as it is (checked to load, referenced by its absolute path), or, with
/// <c>seedSft</c>, that model after SFT on the demonstrations. Output: <c>runs/{id}/seed/model/</c>.
/// </summary>
internal sealed class SeedModelPreparation(ArtifactStore store, LoadedModelCache cache, ModelActivitiesOptions options)
{
    public ArtifactRef Prepare(string runId, RunDefinition run, ActivityHeartbeat heartbeat)
    {
        var output = ArtifactStore.RunPath(runId, "seed", "model");
        if (run.Input.Sandbox is { } sandbox)
        {
            return store.TryGetFolder(output) ?? TrainSandboxSeed(runId, run, sandbox, output, heartbeat);
        }

        var baseFolder = run.Input.BaseModel
            ?? throw new ConfigurationException("a real run needs baseModel (a Hugging Face model folder); set it, or give sandbox settings for a sandbox run");
        var baseRef = ArtifactStore.DescribeExternal(Path.GetFullPath(baseFolder));
        if (run.Configuration.SeedSft is not { } sft)
        {
            // Loading it proves the folder is a usable Llama checkpoint before any GPU hour is spent on it.
            cache.Use(store, baseRef, _ => true);
            return baseRef;
        }

        return store.TryGetFolder(output) ?? TrainRealSeed(runId, run, baseRef, sft, output, heartbeat);
    }

    private ArtifactRef TrainSandboxSeed(string runId, RunDefinition run, Contracts.SandboxOptions sandbox, string output, ActivityHeartbeat heartbeat)
    {
        var tokenizer = SandboxModelFactory.CreateTokenizer();
        var config = SandboxModelFactory.CreateConfig(sandbox, tokenizer);
        if (sandbox.SftSteps < 1 || sandbox.SftBatchSize < 1 || !(sandbox.SftLearningRate > 0))
        {
            throw new ConfigurationException(
                $"sandbox.sftSteps and sandbox.sftBatchSize must be >= 1 and sandbox.sftLearningRate > 0, got {sandbox.SftSteps}, {sandbox.SftBatchSize}, {sandbox.SftLearningRate}");
        }

        var runSeed = run.Configuration.Seed;
        var chat = new PlainChatTemplate(tokenizer);
        var pad = tokenizer.SpecialTokens.Padding ?? 0;
        var model = SandboxModelFactory.CreateModel(config, cache.Dtype, cache.Device, StepSeeds.For(runSeed, 0, StepSeeds.SeedModel, "init"));
        try
        {
            var objective = new SandboxSftObjective(new SftDataset(run.Sandbox!), chat, sandbox.SftSteps, sandbox.SftBatchSize, pad);
            var training = new TrainingOptions
            {
                LearningRate = sandbox.SftLearningRate,
                WarmupSteps = Math.Min(50, sandbox.SftSteps / 10),
                BatchSize = 1,
                Epochs = 1,
                MaxGradNorm = 1.0,
                ShuffleSeed = StepSeeds.ForInt(runSeed, 0, StepSeeds.SeedModel, "shuffle"),
                CheckpointEverySteps = options.SeedCheckpointEverySteps,
                PadTokenId = pad,
            };
            var checkpoints = new CheckpointStore(store.FullPath(ArtifactStore.RunPath(runId, "seed", "sft-checkpoints")));
            TrainingLoop.Run(model, objective, training, checkpoints, new LlamaWeightsFormat(), TrainingProgress(heartbeat, "seed-sft", checkpoints), heartbeat.CancellationToken);
            model.eval();
            var written = store.WriteFolder(output, folder =>
            {
                model.SavePretrained(folder);
                CharacterTokenizerFile.Save(tokenizer, folder);
            });
            cache.Put(new LoadedModel(written.Sha256, store.FullPath(written.Path), model, chat));
            return written;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private ArtifactRef TrainRealSeed(string runId, RunDefinition run, ArtifactRef baseRef, SeedSftSettings sft, string output, ActivityHeartbeat heartbeat)
    {
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
            var checkpoints = new CheckpointStore(store.FullPath(ArtifactStore.RunPath(runId, "seed", "sft-checkpoints")));
            SftTrainer.Train(loaded.Model, examples, training, checkpoints, TrainingProgress(heartbeat, "seed-sft", checkpoints), heartbeat.CancellationToken, new LlamaWeightsFormat());
            loaded.Model.eval();
            var written = store.WriteFolder(output, folder =>
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

    internal static IProgress<TrainingStepMetrics> TrainingProgress(ActivityHeartbeat heartbeat, string phase, CheckpointStore checkpoints) =>
        new SyncProgress<TrainingStepMetrics>(m => heartbeat.Report(new TrainingHeartbeat(
            phase, m.Step, m.TotalSteps, m.Loss, checkpoints.Steps().Select(s => checkpoints.StepFolder(s)).FirstOrDefault())));
}
