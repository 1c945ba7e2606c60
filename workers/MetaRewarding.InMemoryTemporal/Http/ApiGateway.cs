using System.Text;
using Google.Protobuf;
using Grpc.Core;
using MetaRewarding.InMemoryTemporal.Engine;
using MetaRewarding.InMemoryTemporal.Grpc;
using Microsoft.AspNetCore.Http.Features;
using Temporalio.Api.Common.V1;

namespace MetaRewarding.InMemoryTemporal.Http;

/// <summary>
/// Temporal's HTTP/JSON API under <c>/api/v1</c> (what the Web UI calls): every WorkflowService and
/// OperatorService method with a google.api.http binding (<see cref="GatewayRouteTable"/>), bound to a request
/// message (<see cref="RequestBinder"/>) and answered by the same dispatchers the gRPC service uses. Errors are
/// Temporal's error shape with grpc-gateway's status codes; nothing a client sends produces a 500 unless the
/// server itself has a bug.
/// </summary>
internal sealed class ApiGateway
{
    private const int MaxBodyBytes = 64 * 1024 * 1024;
    private readonly GatewayRouteTable table;

    public ApiGateway(TemporalEngine engine)
    {
        table = new GatewayRouteTable(
        [
            (Temporalio.Api.WorkflowService.V1.ServiceReflection.Descriptor.Services.Single(s => s.Name == "WorkflowService"), new WorkflowServiceDispatcher(engine)),
            (Temporalio.Api.OperatorService.V1.ServiceReflection.Descriptor.Services.Single(s => s.Name == "OperatorService"), new OperatorServiceDispatcher(engine)),
        ]);
    }

    public GatewayRouteTable Routes => table;

    public async Task HandleAsync(HttpContext context)
    {
        var segments = PathSegments(context);
        var (route, variables, pathKnown) = table.Find(context.Request.Method, segments);
        if (route is null)
        {
            await WriteAsync(context, pathKnown
                ? (405, GatewayErrors.Status(StatusCode.Unimplemented, $"Method Not Allowed: {context.Request.Method} is not served for {context.Request.Path}"))
                : (404, GatewayErrors.Status(StatusCode.NotFound, $"Not Found: no Temporal API method at {context.Request.Method} {context.Request.Path}"))).ConfigureAwait(false);
            return;
        }
        var cancel = context.RequestAborted;
        try
        {
            var body = await ReadBodyAsync(context.Request, cancel).ConfigureAwait(false);
            var query = context.Request.Query.Select(q => new KeyValuePair<string, string[]>(q.Key, q.Value.Where(v => v is not null).Select(v => v!).ToArray()));
            var request = RequestBinder.Bind(route, body, query, variables, GatewayJson.Parser);
            var response = await route.Dispatcher.DispatchAsync(request, cancel).ConfigureAwait(false)
                ?? throw new RpcException(new Status(StatusCode.Unimplemented,
                    $"in-memory Temporal server: {route.MethodName} is not implemented (see workers/MetaRewarding.InMemoryTemporal/README.md)."));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Format(route, (IMessage)response), cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The browser went away (a long poll it no longer needs): there is no one to answer.
        }
#pragma warning disable CA1031 // Every failure becomes Temporal's error shape, never an unhandled 500 page.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var rpc = RpcErrors.From(ex, route.MethodName, cancel);
            await WriteAsync(context, (GatewayErrors.HttpStatusOf(rpc.StatusCode), GatewayErrors.StatusOf(rpc))).ConfigureAwait(false);
        }
    }

    /// <summary>The raw path split on '/' and each segment percent-decoded once, so an id may contain an encoded '/'.</summary>
    private static List<string> PathSegments(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var end = raw.IndexOfAny(['?', '#']);
        var path = end >= 0 ? raw[..end] : raw;
        return [.. path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString)];
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancel)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new FormatException($"the request body is larger than {MaxBodyBytes / (1024 * 1024)} MB");
        }
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancel).ConfigureAwait(false);
    }

    private static string Format(GatewayRoute route, IMessage response)
    {
        if (route.ResponseBody.Length > 0 && response.Descriptor.FindFieldByName(route.ResponseBody) is { } field
            && field.Accessor.GetValue(response) is IMessage part)
        {
            return GatewayJson.Formatter.Format(part);
        }
        return GatewayJson.Formatter.Format(response);
    }

    private static async Task WriteAsync(HttpContext context, (int HttpStatus, GrpcStatus Status) error)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        context.Response.StatusCode = error.HttpStatus;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(GatewayJson.ErrorFormatter.Format(error.Status)).ConfigureAwait(false);
    }
}
