using System.Text.Json;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Metrics;
using MetaRewarding.Alignment.Pairs;
using MetaRewarding.Alignment.Scoring;
using MetaRewarding.Tokenization;

namespace MetaRewarding.Activities.Run;

/// <summary>
/// BuildPairs: streams the iteration's shard files (responses, judgments, meta-judgments; each shard grouped by
/// prompt, shards in prompt order) through Alignment's <see cref="IterationPairBuilder"/> and writes
/// <c>iteration-{t}/pairs.jsonl</c>, <c>metrics.json</c> and, last, <c>pairs.inputs.json</c> (the shard references
/// they were built from). A retry whose inputs are the same returns the pairs already written; new inputs (a reset
/// that re-ran judging, say) rebuild them.
/// </summary>
public static class IterationPairsStep
{
    public const string PairsFileName = "pairs.jsonl";
    public const string MetricsFileName = "metrics.json";
    public const string InputsFileName = "pairs.inputs.json";

    public static async Task<PairsOutput> RunAsync(ArtifactStore store, PairsInput input, Action<string> heartbeat, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(heartbeat);
        var context = input.Context;
        var run = RunSnapshotFile.Read(store, context.Run);
        var settings = IterationSettingsOf(run, context);
        var iterationFolder = $"iteration-{context.Iteration}";
        var pairsPath = ArtifactStore.RunPath(context.RunId, iterationFolder, PairsFileName);
        var metricsPath = ArtifactStore.RunPath(context.RunId, iterationFolder, MetricsFileName);
        var inputsPath = ArtifactStore.RunPath(context.RunId, iterationFolder, InputsFileName);
        var inputsText = JsonSerializer.Serialize(new BuiltFrom(input.Responses, input.Judgments, input.MetaJudgments), ArtifactJson.Options) + "\n";

        if (await TryExistingAsync(store, pairsPath, metricsPath, inputsPath, inputsText, ct) is { } existing)
        {
            return existing;
        }

        var trainsJudge = JudgeTraining.IsTrainedIn(settings, run.JudgeMode);
        CheckShardLists(input, trainsJudge);
        var promptsPath = ArtifactStore.RunPath(context.RunId, iterationFolder, "prompts.jsonl");
        var prompts = store.TryGetFile(promptsPath)
            ?? throw new ArtifactMissingException(promptsPath, null, "no complete prompt slice (SelectPrompts writes it)");

        var pairContext = IterationPairContext.For(run.Configuration, context.Iteration, RunSnapshotFile.Templates(run), TokenCounter(store, run, context)) with
        {
            Settings = settings with { TrainsJudge = trainsJudge },
        };

        var work = store.FullPath(ArtifactStore.RunPath(context.RunId, iterationFolder, $".build-pairs-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(work);
        try
        {
            heartbeat("concatenating shards");
            var inputs = new IterationPairInputs(
                store.Resolve(prompts),
                Concatenate(store, input.Responses, Path.Combine(work, "responses.jsonl")),
                Concatenate(store, input.Judgments, Path.Combine(work, "judgments.jsonl")),
                trainsJudge ? Concatenate(store, input.MetaJudgments, Path.Combine(work, "meta-judgments.jsonl")) : null);

            heartbeat("building pairs");
            IterationMetrics? metrics = null;
            var pairs = await store.WriteFileAsync(pairsPath, (stream, _) =>
            {
                using var writer = new JsonlWriter<PreferencePairRecord>(stream, DatasetJsonContext.Default.PreferencePairRecord);
                try
                {
                    metrics = IterationPairBuilder.Build(inputs, pairContext, writer.Write);
                }
                catch (MalformedLineException e)
                {
                    // A line the fatal policy rejects, or records out of prompt order: the shard that wrote it must
                    // be redone, which retrying this step cannot do.
                    throw new ArtifactMissingException(
                        $"{ArtifactStore.RunPath(context.RunId, iterationFolder)}/(shards, concatenated)", null, $"an unusable line: {e.Message}");
                }

                return Task.CompletedTask;
            }, ct);

            await store.WriteJsonAsync(metricsPath, metrics!, ArtifactJson.Options, ct);
            await store.WriteTextAsync(inputsPath, inputsText, ct);
            return new PairsOutput(pairs, metrics!);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<PairsOutput?> TryExistingAsync(ArtifactStore store, string pairsPath, string metricsPath, string inputsPath, string inputsText, CancellationToken ct)
    {
        if (store.TryGetFile(inputsPath) is not { } inputs
            || !string.Equals(await store.ReadAllTextAsync(inputs, ct), inputsText, StringComparison.Ordinal)
            || store.TryGetFile(pairsPath) is not { } pairs
            || store.TryGetFile(metricsPath) is not { } metricsFile)
        {
            return null;
        }

        var metrics = JsonSerializer.Deserialize<IterationMetrics>(await store.ReadAllTextAsync(metricsFile, ct), ArtifactJson.Options);
        return metrics is null ? null : new PairsOutput(pairs, metrics);
    }

    private static IterationSettings IterationSettingsOf(RunInput run, IterationContext context)
    {
        if (!string.Equals(run.RunId, context.RunId, StringComparison.Ordinal))
        {
            throw new ConfigurationException($"the run snapshot {context.Run.Path} is of run '{run.RunId}', not '{context.RunId}'; pass this run's own snapshot");
        }

        var iterations = run.Configuration.Iterations;
        if (context.Iteration < 1 || context.Iteration > iterations.Count)
        {
            throw new ConfigurationException($"iteration {context.Iteration} is not in run '{run.RunId}''s schedule (iterations 1-{iterations.Count})");
        }

        return iterations[context.Iteration - 1];
    }

    private static void CheckShardLists(PairsInput input, bool trainsJudge)
    {
        if (input.Responses.Count == 0 || input.Judgments.Count != input.Responses.Count)
        {
            // Non-retryable (MissingInput): the same lists would fail on every retry.
            throw new ArtifactMissingException(
                "judgments shards", null,
                $"BuildPairs needs one judgments shard per responses shard (and at least one), got {input.Responses.Count} responses and {input.Judgments.Count} judgments shards");
        }

        if (trainsJudge && input.MetaJudgments.Count != input.Responses.Count)
        {
            throw new ArtifactMissingException(
                "meta-judgments shards", null, $"{input.MetaJudgments.Count} shards for {input.Responses.Count} response shards, though iteration {input.Context.Iteration} trains the judge");
        }
    }

    /// <summary>The tokenizer of M_t counts lengths when the run measures them in tokens.</summary>
    private static LengthMeasure? TokenCounter(ArtifactStore store, RunInput run, IterationContext context)
    {
        if (run.Configuration.LengthUnit != LengthUnit.Tokens)
        {
            return null;
        }

        var tokenizer = TokenizerLoader.FromModelFolder(store.Resolve(context.Model, ArtifactCheck.ManifestOnly));
        return text => tokenizer.Encode(text).Length;
    }

    /// <summary>Shards in the order given (shard 0 first), each checked against its hash, into one file.</summary>
    private static string Concatenate(ArtifactStore store, IReadOnlyList<ArtifactRef> shards, string output)
    {
        using var target = new FileStream(output, FileMode.CreateNew, FileAccess.Write);
        foreach (var shard in shards)
        {
            using var source = File.OpenRead(store.Resolve(shard));
            source.CopyTo(target);
            if (source.Length > 0)
            {
                source.Seek(-1, SeekOrigin.End);
                if (source.ReadByte() != '\n')
                {
                    target.WriteByte((byte)'\n');
                }
            }
        }

        return output;
    }

    /// <summary>The shard references pairs were built from (<c>pairs.inputs.json</c>).</summary>
    private sealed record BuiltFrom(IReadOnlyList<ArtifactRef> Responses, IReadOnlyList<ArtifactRef> Judgments, IReadOnlyList<ArtifactRef> MetaJudgments);
}
