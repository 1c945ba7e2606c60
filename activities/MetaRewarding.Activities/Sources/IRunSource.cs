using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Templates;

namespace MetaRewarding.Activities.Sources;

/// <summary>
/// What a run works on, behind one seam (docs/DESIGN.md, "Run sources"): its templates and generation caps, its
/// prompt pool, how its seed model M_0 is made, how a checkpoint is evaluated, and — only where the answers are
/// known — an oracle. A real run (a Hugging Face model and a JSONL prompt file) and a sandbox run (synthetic tasks
/// and a tiny model) are two implementations; the activities call the seam and never ask which one they have.
/// </summary>
public interface IRunSource
{
    /// <summary>The actor, judge and meta-judge templates the run's models see.</summary>
    PromptTemplates Templates { get; }

    /// <summary>Ground truth (scores, verdicts) where the run has it: the sandbox; null for a real run.</summary>
    IRunOracle? Oracle { get; }

    /// <summary>A cap on the new tokens of <paramref name="role"/>'s completions beyond the configured one, or null.</summary>
    int? GenerationCap(TemplateRole role);

    /// <summary>Writes the run's prompt pool (at least <paramref name="required"/> prompts) through <paramref name="write"/>.</summary>
    /// <exception cref="Alignment.Configuration.ConfigurationException">Too few usable prompts, or a bad line under the fatal policy.</exception>
    void WritePromptPool(RunInput input, long required, Action<PromptRecord> write);

    /// <summary>Makes M_0 into <paramref name="context"/>'s output folder (or returns the base model as it is).</summary>
    ArtifactRef PrepareSeed(SeedContext context);

    /// <summary>
    /// What an evaluation depends on besides the model, when that is all it depends on (the sandbox: its family and
    /// evaluation sizes), so that runs sharing a checkpoint — the arms of an experiment share their seed — measure it
    /// once; null when it depends on the run itself (a real run evaluates on its own pool's held-out prompts).
    /// </summary>
    string? SharedEvaluationKey { get; }

    /// <summary>Measures a checkpoint: the figures and the details behind them.</summary>
    EvaluationReport Evaluate(LoadedModel model, EvaluationContext context);
}

/// <summary>What making a seed needs: the store, the model cache, the worker's options, the run and its heartbeat.</summary>
public sealed record SeedContext(ArtifactStore Store, LoadedModelCache Cache, ModelActivitiesOptions Options, string RunId, RunDefinition Run, ActivityHeartbeat Heartbeat)
{
    /// <summary>Where M_0 is written: <c>runs/{id}/seed/model/</c>.</summary>
    public string Output => ArtifactStore.RunPath(RunId, "seed", "model");

    /// <summary>Where seed training keeps its checkpoints.</summary>
    public string Checkpoints => ArtifactStore.RunPath(RunId, "seed", "sft-checkpoints");
}

/// <summary>What an evaluation needs besides the model.</summary>
public sealed record EvaluationContext(ArtifactStore Store, ModelActivitiesOptions Options, string RunId, RunDefinition Run, ActivityHeartbeat Heartbeat);
