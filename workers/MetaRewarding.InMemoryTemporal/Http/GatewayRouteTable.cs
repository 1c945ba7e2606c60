using MetaRewarding.InMemoryTemporal.Grpc;
using Temporalio.Api.Dependencies.Google.Api;

namespace MetaRewarding.InMemoryTemporal.Http;

/// <summary>
/// The HTTP/JSON routes of Temporal's services, read from the <c>google.api.http</c> options in Temporalio.dll's
/// descriptors: the same table grpc-gateway generates for Temporal's own HTTP API and UI server. Only the
/// bindings under <c>/api/v1</c> are served (the others would collide with the UI's page paths).
/// </summary>
internal sealed class GatewayRouteTable
{
    public const string ApiPrefix = "/api/v1/";

    private readonly List<GatewayRoute> routes;

    public GatewayRouteTable(IEnumerable<(Google.Protobuf.Reflection.ServiceDescriptor Service, IServiceDispatcher Dispatcher)> services)
    {
        routes = [];
        foreach (var (service, dispatcher) in services)
        {
            foreach (var method in service.Methods.Where(m => !m.IsClientStreaming && !m.IsServerStreaming))
            {
                if (method.GetOptions()?.GetExtension(AnnotationsExtensions.Http) is not { } rule)
                {
                    continue;
                }
                foreach (var binding in rule.AdditionalBindings.Prepend(rule))
                {
                    var (verb, template) = VerbAndPath(binding);
                    if (verb is not null && template.StartsWith(ApiPrefix, StringComparison.Ordinal)
                        && PathTemplate.TryParse(template, out var path))
                    {
                        routes.Add(new GatewayRoute(verb, path!, binding.Body, binding.ResponseBody, method, dispatcher));
                    }
                }
            }
        }
    }

    public IReadOnlyList<GatewayRoute> Routes => routes;

    /// <summary>
    /// The route for a request, the variables its path binds, and whether the path is known under another verb
    /// (so a miss can answer 405 rather than 404).
    /// </summary>
    public (GatewayRoute? Route, List<KeyValuePair<string, string>> Variables, bool PathKnown) Find(string verb, IReadOnlyList<string> path)
    {
        GatewayRoute? best = null;
        List<KeyValuePair<string, string>> bestVariables = [];
        var pathKnown = false;
        foreach (var route in routes)
        {
            if (!route.Path.TryMatch(path, out var variables))
            {
                continue;
            }
            pathKnown = true;
            if (route.Verb == verb && (best is null || route.Path.CompareSpecificity(best.Path) < 0))
            {
                best = route;
                bestVariables = variables;
            }
        }
        return (best, bestVariables, pathKnown);
    }

    private static (string? Verb, string Path) VerbAndPath(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => ("GET", rule.Get),
        HttpRule.PatternOneofCase.Post => ("POST", rule.Post),
        HttpRule.PatternOneofCase.Put => ("PUT", rule.Put),
        HttpRule.PatternOneofCase.Delete => ("DELETE", rule.Delete),
        HttpRule.PatternOneofCase.Patch => ("PATCH", rule.Patch),
        HttpRule.PatternOneofCase.Custom => (rule.Custom.Kind, rule.Custom.Path),
        _ => (null, ""),
    };
}
