using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Activities.Run;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Templates;

namespace MetaRewarding.Activities.Sources;

/// <summary>
/// A real run: a Hugging Face base model, the user's JSONL prompt pool, the built-in templates (or the run's template
/// files), no generation caps beyond the configured ones, and no ground truth.
/// </summary>
internal sealed class RealRunSource(RunInput input) : IRunSource
{
    public PromptTemplates Templates { get; } = PromptTemplates.Load(input.Configuration.Templates, Path.GetPathRoot(Path.GetFullPath(".")) ?? "/");

    public IRunOracle? Oracle => null;

    public int? GenerationCap(TemplateRole role) => null;

    public string? SharedEvaluationKey => null;

    public void WritePromptPool(RunInput input, long required, Action<PromptRecord> write)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(write);
        var log = new MalformedLineLog(input.Configuration.MalformedLines);
        long written = 0;
        try
        {
            foreach (var record in PromptPool.UserPrompts(input.Prompts!, log))
            {
                write(record);
                written++;
            }
        }
        catch (MalformedLineException e)
        {
            throw new ConfigurationException(
                $"prompts file '{input.Prompts}' line {e.LineNumber}: {e.Reason} (malformedLines is 'fatal'; fix the line, or set malformedLines to 'skipAndCount' to skip such lines)",
                e);
        }

        if (written < required)
        {
            var skipped = log.Count > 0 ? $"; {log.Count} malformed line(s) were skipped, e.g. {log.Messages[0]}" : "";
            throw new ConfigurationException(
                $"prompts file '{input.Prompts}' has {written} usable prompts but the schedule takes {required} (the sum of iterations[].prompts, disjoint slices){skipped}; add prompts or lower iterations[].prompts");
        }
    }

    public ArtifactRef PrepareSeed(SeedContext context) => RealSeed.Prepare(context);

    public EvaluationReport Evaluate(LoadedModel model, EvaluationContext context) => RealEvaluation.Evaluate(model, context);
}
