using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Generation;

namespace MetaRewarding.Serving.Endpoints;

/// <summary>The parts of a completion response both endpoints write the same way: id, object, created, model, usage.</summary>
internal static class ResponseJson
{
    public static JsonObject Envelope(string idPrefix, string objectType, ServedModel model, JsonArray choices, SampledChoices sampled) => new()
    {
        ["id"] = $"{idPrefix}-{Guid.NewGuid():N}",
        ["object"] = objectType,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = model.Name,
        ["choices"] = choices,
        ["usage"] = Usage(sampled),
    };

    /// <summary><c>usage</c>: prompt tokens (each prompt once), generated tokens, their sum.</summary>
    public static JsonObject Usage(SampledChoices sampled) => new()
    {
        ["prompt_tokens"] = sampled.PromptTokens,
        ["completion_tokens"] = sampled.CompletionTokens,
        ["total_tokens"] = sampled.PromptTokens + sampled.CompletionTokens,
    };

    /// <summary>One choice: its index, its completion under <paramref name="field"/> (<c>text</c> or <c>message</c>), finish and stop reason, and its token ids when asked.</summary>
    public static JsonObject Choice(SampledChoice choice, string field, JsonNode content, Protocol.SamplingParameters parameters, ServedModel model)
    {
        var (finish, stopReason) = OpenAiFinishReasons.Write(choice.Result.FinishReason, choice.MatchedStop);
        var json = new JsonObject
        {
            ["index"] = choice.Index,
            [field] = content,
            ["logprobs"] = null,
            ["finish_reason"] = finish,
            ["stop_reason"] = stopReason,
        };
        AddTokenIds(json, choice, parameters, model);
        return json;
    }

    /// <summary>Adds the choice's completion ids when asked (vLLM's <c>return_token_ids</c>), or when the model has no tokenizer to give text.</summary>
    private static void AddTokenIds(JsonObject choice, SampledChoice sampled, Protocol.SamplingParameters parameters, ServedModel model)
    {
        if (parameters.ReturnTokenIds || model.Engine.Tokenizer is null)
        {
            choice["token_ids"] = new JsonArray([.. sampled.Result.CompletionIds.Select(id => (JsonNode)id)]);
        }
    }
}
