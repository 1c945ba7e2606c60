using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MetaRewarding.InMemoryTemporal.Http;

/// <summary>
/// Proto3 JSON as Temporal's UI server writes and reads it (grpc-gateway with protojson): lowerCamelCase names,
/// enum value names, 64-bit integers as strings, bytes (payload data) as base64, <c>google.protobuf.Any</c> with
/// <c>@type</c> for the Temporal messages it may carry (error details). Unknown fields in a body are an error.
/// </summary>
internal static class GatewayJson
{
    public static readonly TypeRegistry Types = TypeRegistry.FromFiles(
        Temporalio.Api.WorkflowService.V1.ServiceReflection.Descriptor,
        Temporalio.Api.OperatorService.V1.ServiceReflection.Descriptor,
        Temporalio.Api.ErrorDetails.V1.MessageReflection.Descriptor);

    public static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(Types));

    /// <summary>Writes every field, so an error always has <c>code</c>, <c>message</c> and <c>details</c> like grpc-gateway's.</summary>
    public static readonly JsonFormatter ErrorFormatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(Types).WithFormatDefaultValues(true));

    public static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(Types).WithIgnoreUnknownFields(false));
}
