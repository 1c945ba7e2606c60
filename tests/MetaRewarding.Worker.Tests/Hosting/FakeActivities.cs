using System.Collections.Concurrent;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Metrics;

namespace MetaRewarding.Worker.Tests.Hosting;

/// <summary>
/// Both activity interfaces without a model or a store: each call is recorded with the log-context properties the
/// worker's interceptor pushed, and answered with a reference that names the call.
/// </summary>
public sealed class FakeActivities : IRunActivities, IModelActivities
{
    private readonly ConcurrentQueue<string> calls = new();

    public IReadOnlyList<string> Calls => [.. calls];

    /// <summary>When set, PrepareRun fails non-retryably with this message (as an invalid configuration would).</summary>
    public string? FailPrepareRun { get; init; }

    /// <summary>When set, TrainDpo waits for it (after recording the call): a run held in the middle of an iteration.</summary>
    public Task? HoldTrainDpo { get; init; }

    /// <summary>Judge modes the runs were prepared with.</summary>
    public ConcurrentBag<JudgeMode> JudgeModes { get; } = [];

    /// <summary>Each run's <see cref="RunInput.SeedModel"/> as PrepareRun saw it (empty: none), by run id.</summary>
    public ConcurrentDictionary<string, string> SeedModels { get; } = new(StringComparer.Ordinal);

    /// <summary>The Iteration property each activity saw in Serilog's LogContext, by call.</summary>
    public ConcurrentDictionary<string, string?> LoggedIteration { get; } = new();

    private void Record(string call)
    {
        calls.Enqueue(call);
        LoggedIteration[call] = LogContextProbe.Read("Iteration");
    }

    private static ArtifactRef Ref(string path) => new(path, new string('0', 64), 1);

    public Task<RunSnapshot> PrepareRunAsync(RunInput input)
    {
        JudgeModes.Add(input.JudgeMode);
        SeedModels[input.RunId] = input.SeedModel ?? "";
        Record($"PrepareRun({input.RunId})");
        if (FailPrepareRun is not null)
        {
            throw new Temporalio.Exceptions.ApplicationFailureException(FailPrepareRun, ErrorTypes.InvalidConfiguration, nonRetryable: true);
        }

        return Task.FromResult(new RunSnapshot(Ref($"runs/{input.RunId}/run.json"), Ref($"runs/{input.RunId}/prompts.jsonl"), 100));
    }

    public Task<PromptSlice> SelectPromptsAsync(SelectPromptsInput input)
    {
        Record($"SelectPrompts({input.Context.RunId},{input.Context.Iteration})");
        return Task.FromResult(new PromptSlice(Ref("prompts"), 4, 1));
    }

    public Task<PairsOutput> BuildPairsAsync(PairsInput input)
    {
        Record($"BuildPairs({input.Context.RunId},{input.Context.Iteration})");
        return Task.FromResult(new PairsOutput(Ref("pairs"), new IterationMetrics { Iteration = input.Context.Iteration, ActorPairs = 3 }));
    }

    public Task<ArtifactRef> WriteReportAsync(ReportInput input)
    {
        Record($"WriteReport({input.RunId},{input.Iterations.Count})");
        return Task.FromResult(Ref($"runs/{input.RunId}/report.json"));
    }

    public Task<ArtifactRef> PrepareSeedModelAsync(SeedInput input)
    {
        Record($"PrepareSeedModel({input.RunId})");
        return Task.FromResult(Ref("seed/model"));
    }

    public Task<ArtifactRef> GenerateResponsesAsync(ShardInput input)
    {
        Record($"GenerateResponses({input.Context.RunId},{input.Context.Iteration})");
        return Task.FromResult(Ref("responses"));
    }

    public Task<ArtifactRef> JudgeResponsesAsync(ShardInput input)
    {
        Record($"JudgeResponses({input.Context.RunId},{input.Context.Iteration})");
        return Task.FromResult(Ref("judgments"));
    }

    public Task<ArtifactRef> MetaJudgeAsync(ShardInput input)
    {
        Record($"MetaJudge({input.Context.RunId},{input.Context.Iteration})");
        return Task.FromResult(Ref("meta-judgments"));
    }

    public async Task<TrainingOutput> TrainDpoAsync(TrainingInput input)
    {
        Record($"TrainDpo({input.Context.RunId},{input.Context.Iteration})");
        if (HoldTrainDpo is not null)
        {
            await HoldTrainDpo.WaitAsync(Temporalio.Activities.ActivityExecutionContext.Current.CancellationToken);
        }
        return new TrainingOutput(Ref($"iteration-{input.Context.Iteration}/model"), 2, 3, 0.6, 0.7, 0.1);
    }

    public Task<EvaluationOutput> EvaluateAsync(EvaluationInput input)
    {
        Record($"Evaluate({input.RunId},{input.Label})");
        return Task.FromResult(new EvaluationOutput(input.Label, new Dictionary<string, double> { ["actorAccuracy"] = 0.5 }, Ref("evaluation")));
    }
}

/// <summary>Reads a property from Serilog's ambient LogContext by rendering an event through it.</summary>
internal static class LogContextProbe
{
    public static string? Read(string property)
    {
        var captured = new List<Serilog.Events.LogEvent>();
        using var logger = new Serilog.LoggerConfiguration().Enrich.FromLogContext().WriteTo.Sink(new ListSink(captured)).CreateLogger();
        logger.Information("probe");
        return captured[0].Properties.TryGetValue(property, out var value) ? value.ToString() : null;
    }

    private sealed class ListSink(List<Serilog.Events.LogEvent> events) : Serilog.Core.ILogEventSink
    {
        public void Emit(Serilog.Events.LogEvent logEvent) => events.Add(logEvent);
    }
}
