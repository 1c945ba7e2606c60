using MetaRewarding.Activities.Contracts;
using Microsoft.Extensions.Logging;
using Temporalio.Activities;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace MetaRewarding.Worker.Tests.Logging;

// The SDK requires workflow run methods and registered activity methods to be instance members, even without state.
#pragma warning disable CA1822

/// <summary>Runs <see cref="SeqProbeActivities.ProbeShard"/> once, with fast retries: its first attempt fails, so the logged one is attempt 2.</summary>
[Workflow]
public sealed class SeqProbeWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(ShardInput input) =>
        Workflow.ExecuteActivityAsync((SeqProbeActivities a) => a.ProbeShard(input), new()
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(30),
            RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(100), MaximumAttempts = 3 },
        });
}

/// <summary>A test activity that logs the way the real ones do, through the activity context's logger.</summary>
public sealed class SeqProbeActivities
{
    public const string Message = "probe shard {Shard} done";

    private static readonly Action<ILogger, int, Exception?> LogDone = LoggerMessage.Define<int>(LogLevel.Information, new EventId(1, "ProbeDone"), Message);

    [Activity]
    public string ProbeShard(ShardInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = ActivityExecutionContext.Current;
        if (context.Info.Attempt == 1)
        {
            throw new ApplicationFailureException("the first attempt fails on purpose, so the logged event is attempt 2");
        }

        LogDone(context.Logger, input.Shard, null);
        return "done";
    }
}
