using System.Globalization;
using System.Text;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Workflows;

namespace MetaRewarding.Worker.Runs;

/// <summary>Text for <c>status</c> and <c>demo</c>: a run's progress query, its current iteration's, and its result.</summary>
public static class ProgressView
{
    /// <summary>One line for the run, one for its current iteration when there is one.</summary>
    public static string Render(string workflowId, string status, Progress run, Progress? iteration)
    {
        ArgumentNullException.ThrowIfNull(run);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{workflowId}: {status}, phase {run.Phase}");
        if (run.Iteration > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", iteration {run.Iteration}/{run.Iterations}");
        }

        text.AppendLine();
        if (iteration is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  iteration {iteration.Iteration}: phase {iteration.Phase}");
            if (iteration.ShardsTotal > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $", shards {iteration.ShardsDone}/{iteration.ShardsTotal}");
            }

            if (iteration.TrainingSteps > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $", DPO step {iteration.TrainingStep}/{iteration.TrainingSteps}");
                if (iteration.TrainingLoss is { } loss)
                {
                    text.Append(CultureInfo.InvariantCulture, $" loss {loss:F4}");
                }
            }

            text.AppendLine();
        }

        if (run.Latest is { } latest)
        {
            text.AppendLine(Summary(latest));
        }

        return text.ToString();
    }

    /// <summary>One line per finished iteration: pairs, training and evaluation figures.</summary>
    public static string Summary(IterationSummary iteration)
    {
        ArgumentNullException.ThrowIfNull(iteration);
        var metrics = string.Join(", ", iteration.Evaluation.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:G4}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"  finished iteration {iteration.Iteration}: {iteration.Data.ActorPairs} actor pairs, {iteration.Data.JudgePairs} judge pairs, "
            + $"DPO loss {iteration.Training.MeanLoss:F4}, reward accuracy {iteration.Training.RewardAccuracy:P0}; {metrics}");
    }

    /// <summary>The finished run: where its report is, then one line per checkpoint.</summary>
    public static string Result(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run {summary.RunId} completed: {summary.Iterations.Count} iterations; report {summary.Report.Path}; final model {(summary.Iterations.Count > 0 ? summary.Iterations[^1].Model.Path : summary.SeedModel.Path)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  seed: {string.Join(", ", summary.SeedEvaluation.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:G4}")))}");
        foreach (var iteration in summary.Iterations)
        {
            text.AppendLine(Summary(iteration));
        }

        return text.ToString();
    }
}
