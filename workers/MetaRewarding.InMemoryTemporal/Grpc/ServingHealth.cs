using Grpc.Health.V1;
using Grpc.HealthCheck;

namespace MetaRewarding.InMemoryTemporal.Grpc;

/// <summary>
/// The standard gRPC health service (grpc.health.v1.Health), which the SDK's <c>CheckHealthAsync</c>, load balancers
/// and Kubernetes probes call: the server as a whole ("") and the WorkflowService are SERVING while it runs.
/// </summary>
internal static class ServingHealth
{
    public const string WorkflowServiceName = "temporal.api.workflowservice.v1.WorkflowService";

    public static HealthServiceImpl Create()
    {
        var health = new HealthServiceImpl();
        health.SetStatus("", HealthCheckResponse.Types.ServingStatus.Serving);
        health.SetStatus(WorkflowServiceName, HealthCheckResponse.Types.ServingStatus.Serving);
        health.SetStatus("temporal.api.operatorservice.v1.OperatorService", HealthCheckResponse.Types.ServingStatus.Serving);
        return health;
    }
}
