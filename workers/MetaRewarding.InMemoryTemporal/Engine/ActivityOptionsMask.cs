using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Activity.V1;
using Temporalio.Api.History.V1;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// UpdateActivityOptions' field mask over a pending activity's options: the paths `temporal activity update-options`
/// sends (task_queue_name, schedule_to_close_timeout, schedule_to_start_timeout, start_to_close_timeout,
/// heartbeat_timeout, retry_policy and its fields). An unknown path is INVALID_ARGUMENT naming the known ones.
/// </summary>
internal static class ActivityOptionsMask
{
    private static readonly string[] Known =
    [
        "task_queue", "task_queue.name", "task_queue_name", "schedule_to_close_timeout", "schedule_to_start_timeout", "start_to_close_timeout",
        "heartbeat_timeout", "retry_policy", "retry_policy.initial_interval", "retry_policy.backoff_coefficient",
        "retry_policy.maximum_interval", "retry_policy.maximum_attempts", "retry_policy.non_retryable_error_types",
    ];

    public static void Apply(ActivityTaskScheduledEventAttributes target, ActivityOptions? update, FieldMask? mask)
    {
        update ??= new ActivityOptions();
        var paths = mask?.Paths.Count > 0 ? mask.Paths.Select(ToSnakeCase).ToList() : [.. Known.Where(k => !k.Contains('.', StringComparison.Ordinal) && k != "task_queue_name")];
        foreach (var path in paths)
        {
            switch (path)
            {
                case "task_queue" or "task_queue.name" or "task_queue_name":
                    if (!string.IsNullOrEmpty(update.TaskQueue?.Name))
                    {
                        target.TaskQueue.Name = update.TaskQueue.Name;
                    }
                    break;
                case "schedule_to_close_timeout":
                    target.ScheduleToCloseTimeout = update.ScheduleToCloseTimeout;
                    break;
                case "schedule_to_start_timeout":
                    target.ScheduleToStartTimeout = update.ScheduleToStartTimeout;
                    break;
                case "start_to_close_timeout":
                    target.StartToCloseTimeout = update.StartToCloseTimeout;
                    break;
                case "heartbeat_timeout":
                    target.HeartbeatTimeout = update.HeartbeatTimeout;
                    break;
                case "retry_policy":
                    target.RetryPolicy = RetryDecision.WithDefaults(update.RetryPolicy);
                    break;
                case "retry_policy.initial_interval":
                    target.RetryPolicy.InitialInterval = update.RetryPolicy?.InitialInterval ?? target.RetryPolicy.InitialInterval;
                    break;
                case "retry_policy.backoff_coefficient":
                    target.RetryPolicy.BackoffCoefficient = update.RetryPolicy?.BackoffCoefficient ?? target.RetryPolicy.BackoffCoefficient;
                    break;
                case "retry_policy.maximum_interval":
                    target.RetryPolicy.MaximumInterval = update.RetryPolicy?.MaximumInterval ?? target.RetryPolicy.MaximumInterval;
                    break;
                case "retry_policy.maximum_attempts":
                    target.RetryPolicy.MaximumAttempts = update.RetryPolicy?.MaximumAttempts ?? 0;
                    break;
                case "retry_policy.non_retryable_error_types":
                    target.RetryPolicy.NonRetryableErrorTypes.Clear();
                    target.RetryPolicy.NonRetryableErrorTypes.Add(update.RetryPolicy?.NonRetryableErrorTypes ?? []);
                    break;
                default:
                    throw ServerErrors.InvalidArgument($"UpdateActivityOptions: unknown update mask path '{path}'; known paths: {string.Join(", ", Known)}.");
            }
        }
        target.RetryPolicy = RetryDecision.WithDefaults(target.RetryPolicy);
    }

    /// <summary>Copies the options part of <paramref name="source"/> (as scheduled) into <paramref name="target"/>.</summary>
    public static void CopyOptions(ActivityTaskScheduledEventAttributes source, ActivityTaskScheduledEventAttributes target)
    {
        target.TaskQueue = source.TaskQueue.Clone();
        target.ScheduleToCloseTimeout = source.ScheduleToCloseTimeout;
        target.ScheduleToStartTimeout = source.ScheduleToStartTimeout;
        target.StartToCloseTimeout = source.StartToCloseTimeout;
        target.HeartbeatTimeout = source.HeartbeatTimeout;
        target.RetryPolicy = source.RetryPolicy.Clone();
    }

    /// <summary>Field masks arrive as proto field names or, over JSON, in lowerCamelCase.</summary>
    private static string ToSnakeCase(string path) =>
        string.Concat(path.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));
}
