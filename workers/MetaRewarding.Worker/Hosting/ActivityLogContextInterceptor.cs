using MetaRewarding.Activities.Contracts;
using Serilog.Context;
using Temporalio.Activities;
using Temporalio.Worker.Interceptors;

namespace MetaRewarding.Worker.Hosting;

/// <summary>
/// Every log event written while an activity runs (by the activity, the engine below it, or the SDK) carries
/// <c>WorkflowId</c>, <c>WorkflowRunId</c>, <c>RunId</c> (the Meta-Rewarding run), <c>Iteration</c>,
/// <c>ActivityType</c> and <c>Attempt</c>, so Seq can show one run, one iteration or one failing attempt.
/// Serilog's LogContext flows with the async call, so pushing the properties around the activity is enough.
/// </summary>
public sealed class ActivityLogContextInterceptor : IWorkerInterceptor
{
    public ActivityInboundInterceptor InterceptActivity(ActivityInboundInterceptor nextInterceptor) => new Inbound(nextInterceptor);

    /// <summary>The Meta-Rewarding run id and iteration an activity's input names, when it names them.</summary>
    public static (string? RunId, int? Iteration) Describe(IReadOnlyCollection<object?> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.FirstOrDefault() switch
        {
            RunInput run => (run.RunId, null),
            SeedInput seed => (seed.RunId, 0),
            SelectPromptsInput select => Of(select.Context),
            ShardInput shard => Of(shard.Context),
            PairsInput pairs => Of(pairs.Context),
            TrainingInput training => Of(training.Context),
            EvaluationInput evaluation => (evaluation.RunId, IterationOfLabel(evaluation.Label)),
            ReportInput report => (report.RunId, report.Iterations.Count),
            _ => (null, null),
        };
    }

    private static (string?, int?) Of(IterationContext context) => (context.RunId, context.Iteration);

    /// <summary>Evaluation labels are <c>seed</c> (iteration 0) or <c>iteration-t</c>.</summary>
    private static int? IterationOfLabel(string label) =>
        label == "seed" ? 0
        : label.StartsWith("iteration-", StringComparison.Ordinal) && int.TryParse(label["iteration-".Length..], out var t) ? t
        : null;

    private sealed class Inbound(ActivityInboundInterceptor next) : ActivityInboundInterceptor(next)
    {
        public override async Task<object?> ExecuteActivityAsync(ExecuteActivityInput input)
        {
            var info = ActivityExecutionContext.Current.Info;
            var (runId, iteration) = Describe(input.Args);
            using var workflowId = LogContext.PushProperty("WorkflowId", info.WorkflowId);
            using var workflowRunId = LogContext.PushProperty("WorkflowRunId", info.WorkflowRunId);
            using var activityType = LogContext.PushProperty("ActivityType", info.ActivityType);
            using var attempt = LogContext.PushProperty("Attempt", info.Attempt);
            using var run = LogContext.PushProperty("RunId", runId);
            using var iterationProperty = LogContext.PushProperty("Iteration", iteration);
            return await base.ExecuteActivityAsync(input);
        }
    }
}
