using Temporalio.Activities;

namespace MetaRewarding.Activities.Contracts;

/// <summary>
/// CPU activities (task queue <see cref="TaskQueues.Cpu"/>): no model, cheap to retry. Each is idempotent: an
/// output that already exists in the store and verifies is returned, not recomputed.
/// </summary>
public interface IRunActivities
{
    /// <summary>
    /// Validates the run (configuration, paths, templates) before any GPU time is spent, and writes its snapshot
    /// and prompt pool to the store. An invalid run fails non-retryably (error type <c>InvalidConfiguration</c>)
    /// with every problem named.
    /// </summary>
    [Activity(ActivityNames.PrepareRun)]
    Task<RunSnapshot> PrepareRunAsync(RunInput input);

    /// <summary>Takes iteration t's disjoint slice of the prompt pool and plans its shards.</summary>
    [Activity(ActivityNames.SelectPrompts)]
    Task<PromptSlice> SelectPromptsAsync(SelectPromptsInput input);

    /// <summary>Scores responses, builds actor pairs (and judge pairs where the iteration trains the judge) and the data metrics.</summary>
    [Activity(ActivityNames.BuildPairs)]
    Task<PairsOutput> BuildPairsAsync(PairsInput input);

    /// <summary>Writes the run's <c>report.json</c> and plots from what has been measured so far.</summary>
    [Activity(ActivityNames.WriteReport)]
    Task<ArtifactRef> WriteReportAsync(ReportInput input);
}
