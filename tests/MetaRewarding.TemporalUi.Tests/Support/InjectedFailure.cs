using MetaRewarding.Activities.Contracts;
using Temporalio.Activities;
using Temporalio.Exceptions;
using Temporalio.Worker.Interceptors;

namespace MetaRewarding.TemporalUi.Tests.Support;

/// <summary>
/// Test double for one thing only: a non-retryable failure of one activity type in one workflow, as a broken
/// template or setting would give (<see cref="ErrorTypes.InvalidConfiguration"/>), while <see cref="Armed"/>; the
/// real activity runs otherwise. Added to the real worker as a Temporal worker interceptor.
/// </summary>
public sealed class InjectedFailure(string activityType, string workflowId) : IWorkerInterceptor
{
    public const string Message = "judge template broken: no {response} placeholder (injected by the Web UI test)";

    private volatile bool armed = true;

    /// <summary>Whether the activity fails; clear it to "fix the cause".</summary>
    public bool Armed
    {
        get => armed;
        set => armed = value;
    }

    private string ActivityType => activityType;

    private string WorkflowId => workflowId;

    public ActivityInboundInterceptor InterceptActivity(ActivityInboundInterceptor nextInterceptor) => new Inbound(nextInterceptor, this);

    private sealed class Inbound(ActivityInboundInterceptor next, InjectedFailure owner) : ActivityInboundInterceptor(next)
    {
        public override Task<object?> ExecuteActivityAsync(ExecuteActivityInput input)
        {
            var info = ActivityExecutionContext.Current.Info;
            if (owner.Armed && info.ActivityType == owner.ActivityType && info.WorkflowId == owner.WorkflowId)
            {
                throw new ApplicationFailureException(Message, ErrorTypes.InvalidConfiguration, nonRetryable: true);
            }
            return base.ExecuteActivityAsync(input);
        }
    }
}
