using System.Text.Json.Nodes;

namespace MetaRewarding.Serving.Endpoints;

/// <summary><c>GET /v1/models</c>: the one model this server answers for, with vLLM's <c>max_model_len</c>.</summary>
internal static class ModelsEndpoint
{
    public const string Route = "/v1/models";

    public static JsonObject Handle(ServedModel model) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray(new JsonObject
        {
            ["id"] = model.Name,
            ["object"] = "model",
            ["created"] = model.Created,
            ["owned_by"] = "metarewarding",
            ["root"] = model.Engine.Folder,
            ["max_model_len"] = model.ContextLength,
        }),
    };
}
