using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Activities.Run;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Templates;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Formats;

namespace MetaRewarding.Activities.Sources;

/// <summary>
/// A sandbox run (docs/SANDBOX.md): synthetic tasks of one family with known answers, the compact templates, the
/// tiny Llama seeded by SFT on the family's mix, generation capped at <see cref="SandboxLimits"/>, evaluation
/// against the truth, and the oracle the control arms use.
/// </summary>
internal sealed class SandboxRunSource(SandboxOptions options) : IRunSource
{
    /// <summary>The family's data settings.</summary>
    public SandboxSettings Settings { get; } = RunDefinition.SandboxSettingsOf(options);

    public PromptTemplates Templates => CompactTemplates.Templates;

    public IRunOracle? Oracle { get; } = new SandboxOracle();

    // v2: the evaluation's own sizes (SandboxEvaluation); bump it when what an evaluation measures changes.
    public string? SharedEvaluationKey => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"sandbox-v2-{options.TaskFamily.ToLowerInvariant()}-{options.EvaluationPrompts}x{options.EvaluationSamples}-data{Settings.DataSeed}");

    public int? GenerationCap(TemplateRole role) => role switch
    {
        TemplateRole.Actor => SandboxLimits.ActorMaxNewTokens,
        TemplateRole.Judge => SandboxLimits.JudgeMaxNewTokens,
        _ => SandboxLimits.MetaJudgeMaxNewTokens,
    };

    public void WritePromptPool(RunInput input, long required, Action<PromptRecord> write)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(write);
        foreach (var record in PromptPool.SandboxPrompts(options, input.Configuration.Seed, required))
        {
            write(record);
        }
    }

    public ArtifactRef PrepareSeed(SeedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Store.TryGetFolder(context.Output) ?? SandboxSeed.Train(context, options, Settings);
    }

    public EvaluationReport Evaluate(LoadedModel model, EvaluationContext context) => SandboxEvaluation.Evaluate(model, context, options, Settings);
}
