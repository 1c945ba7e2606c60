using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Training;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Sft;
using MetaRewarding.Tokenization;
using static TorchSharp.torch;

namespace MetaRewarding.Activities.Sources;

/// <summary>
/// The sandbox's M_0: a fresh tiny Llama, SFT on the sandbox mix (batch 64, lr 3e-3 cosine, warm-up 50),
/// checkpointed under <c>seed/sft-checkpoints</c> and resumed from the newest verified checkpoint on a new attempt.
/// </summary>
internal static class SandboxSeed
{
    public static ArtifactRef Train(SeedContext context, SandboxOptions sandbox, SandboxSettings settings)
    {
        var (store, cache, options, run, heartbeat) = (context.Store, context.Cache, context.Options, context.Run, context.Heartbeat);
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
        var model = CreateInitialModel(config, runSeed, cache.Dtype, cache.Device);
        try
        {
            var objective = new SandboxSftObjective(new SftDataset(settings), chat, sandbox.SftSteps, sandbox.SftBatchSize, pad);
            var training = Schedule(sandbox, runSeed) with { CheckpointEverySteps = options.SeedCheckpointEverySteps, PadTokenId = pad };
            var checkpoints = new CheckpointStore(store.FullPath(context.Checkpoints));
            TrainingLoop.Run(model, objective, training, checkpoints, new LlamaWeightsFormat(), SeedModelPreparation.TrainingProgress(heartbeat, "seed-sft", checkpoints), heartbeat.CancellationToken);
            model.eval();
            var written = store.WriteFolder(context.Output, folder =>
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

    /// <summary>The seed's freshly initialised model for <paramref name="runSeed"/> (what <see cref="SandboxSeedRecipe"/> hashes on the CPU in fp32).</summary>
    internal static LlamaForCausalLM CreateInitialModel(LlamaConfig config, long runSeed, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        SandboxModelFactory.CreateModel(config, dtype, device ?? CPU, StepSeeds.For(runSeed, 0, StepSeeds.SeedModel, "init"));

    /// <summary>The schedule as <see cref="SandboxSeedRecipe"/> fingerprints it: what shapes the weights, not where checkpoints go.</summary>
    internal static string ScheduleDescription(SandboxOptions sandbox, long runSeed)
    {
        var schedule = Schedule(sandbox, runSeed);
        return FormattableString.Invariant($"lr {schedule.LearningRate} warmup {schedule.WarmupSteps} clip {schedule.MaxGradNorm} shuffle {schedule.ShuffleSeed} batch {sandbox.SftBatchSize} steps {sandbox.SftSteps}");
    }

    private static TrainingOptions Schedule(SandboxOptions sandbox, long runSeed) => new()
    {
        LearningRate = sandbox.SftLearningRate,
        WarmupSteps = Math.Min(50, sandbox.SftSteps / 10),
        BatchSize = 1,
        Epochs = 1,
        MaxGradNorm = 1.0,
        ShuffleSeed = StepSeeds.ForInt(runSeed, 0, StepSeeds.SeedModel, "shuffle"),
    };
}
