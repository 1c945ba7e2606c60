using System.Text.Json.Nodes;

namespace MetaRewarding.Serving.Protocol;

/// <summary>
/// A request the server refuses, answered in OpenAI's error shape
/// (<c>{"error": {"message", "type", "param", "code"}}</c>) with an HTTP status, so any OpenAI client shows the message.
/// </summary>
internal sealed class OpenAiError : Exception
{
    public OpenAiError(int status, string message, string? param = null, string? code = null, string type = "invalid_request_error")
        : base(message)
    {
        Status = status;
        Param = param;
        Code = code;
        Type = type;
    }

    public int Status { get; }

    public string? Param { get; }

    public string? Code { get; }

    public string Type { get; }

    /// <summary>A 400 about one request field.</summary>
    public static OpenAiError BadParameter(string param, string message) => new(400, message, param);

    public JsonObject ToJson() => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = Message,
            ["type"] = Type,
            ["param"] = Param,
            ["code"] = Code,
        },
    };
}
