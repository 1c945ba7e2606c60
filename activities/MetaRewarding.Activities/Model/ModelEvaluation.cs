using System.Text.Json;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Sources;
using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// Evaluate: writes <c>evaluation/{label}.json</c> (metrics plus the detailed figures behind them) and returns the
/// metrics. Every checkpoint of a run is measured on the same prompts with the same seeds (no label or iteration in
/// them), so differences between labels are the model's, not the dice's.
/// <para>What is measured is the run source's (<see cref="IRunSource.Evaluate"/>): against the truth in the sandbox
/// (<see cref="SandboxEvaluation"/>), the model's own judgments of its greedy answers in a real run
/// (<see cref="RealEvaluation"/>).</para>
/// </summary>
internal sealed class ModelEvaluation(ArtifactStore store, LoadedModelCache cache, ModelActivitiesOptions options)
{
    public async Task<EvaluationOutput> RunAsync(EvaluationInput input, RunDefinition run, ActivityHeartbeat heartbeat)
    {
        if (string.IsNullOrWhiteSpace(input.Label) || input.Label.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new ConfigurationException($"evaluation label must be letters, digits, '-', '_' or '.', got '{input.Label}'");
        }

        var output = ArtifactStore.RunPath(input.RunId, "evaluation", input.Label + ".json");
        if (store.TryGetFile(output) is { } existing)
        {
            var report = JsonSerializer.Deserialize<EvaluationHeader>(await store.ReadAllTextAsync(existing, heartbeat.CancellationToken), ArtifactJson.Options);
            if (report is not null && report.Model.Sha256 == input.Model.Sha256)
            {
                return new EvaluationOutput(input.Label, report.Metrics, existing);
            }
        }

        // A checkpoint another run already measured the same way (the shared seed of an experiment's arms) is not
        // measured again: its report is copied under this run's label.
        var shared = run.Source.SharedEvaluationKey is { } key ? $"evaluations/{key}-{input.Model.Sha256}.json" : null;
        EvaluationReport? details = null;
        if (shared is not null && store.TryGetFile(shared) is { } sharedFile)
        {
            details = JsonSerializer.Deserialize<EvaluationReport>(await store.ReadAllTextAsync(sharedFile, heartbeat.CancellationToken), ArtifactJson.Options);
        }

        if (details is null)
        {
            details = cache.Use(store, input.Model, model => run.Source.Evaluate(model, new EvaluationContext(store, options, input.RunId, run, heartbeat)));
            if (shared is not null)
            {
                await store.WriteJsonAsync(shared, details with { Model = input.Model }, ArtifactJson.Options, heartbeat.CancellationToken);
            }
        }

        var written = await store.WriteJsonAsync(output, details with { Label = input.Label, Model = input.Model }, ArtifactJson.Options, heartbeat.CancellationToken);
        return new EvaluationOutput(input.Label, details.Metrics, written);
    }

    /// <summary>What an earlier evaluation is recognised by: the model it measured, and its metrics.</summary>
    internal sealed record EvaluationHeader(ArtifactRef Model, Dictionary<string, double> Metrics);
}
