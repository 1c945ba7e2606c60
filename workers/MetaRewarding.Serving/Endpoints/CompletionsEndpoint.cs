using System.Globalization;
using System.Text.Json.Nodes;
using MetaRewarding.Serving.Protocol;

namespace MetaRewarding.Serving.Endpoints;

/// <summary>
/// <c>POST /v1/completions</c>: <c>prompt</c> as text, token ids, or a list of either (each prompt gets <c>n</c>
/// choices, indexed prompt-major as OpenAI does). A text prompt is encoded as vLLM does (BOS added when the tokenizer
/// has one); token ids are taken as they are. <c>max_tokens</c> defaults to 16, as in OpenAI's API.
/// </summary>
internal static class CompletionsEndpoint
{
    public const string Route = "/v1/completions";

    /// <summary>OpenAI's default for this endpoint.</summary>
    public const int DefaultMaxTokens = 16;

    private static readonly string[] Fields = [.. SamplingParameters.Fields, "prompt", "echo", "best_of", "suffix"];

    /// <summary>The answer's JSON, or null when it was streamed to <paramref name="context"/>.</summary>
    public static async Task<JsonObject?> HandleAsync(HttpContext context, string body, ServedModel model, ChoiceSampler sampler)
    {
        var fields = RequestFields.Parse(body, Fields, Route);
        var parameters = SamplingParameters.Read(fields);
        SamplingParameters.RefuseUnlessNeutral(fields, "echo", v => v is JsonValue b && b.TryGetValue<bool>(out var on) && !on, "the prompt is not echoed");
        SamplingParameters.RefuseUnlessNeutral(fields, "suffix", v => v is null, "the engine does not fill in the middle");
        if (fields.Integer("best_of") is { } bestOf && bestOf != parameters.N)
        {
            throw OpenAiError.BadParameter("best_of", $"best_of must equal n ({parameters.N}) when given: the server returns every sample, got {bestOf}.");
        }

        var prompts = Prompts(fields["prompt"], model);
        if (parameters.Stream)
        {
            await StreamingResponse.WriteAsync(context, model, parameters, StreamShape.Completion,
                onTokens => sampler.SampleAsync(prompts, parameters, _ => DefaultMaxTokens, "prompt", onTokens)).ConfigureAwait(false);
            return null;
        }

        var sampled = await sampler.SampleAsync(prompts, parameters, _ => DefaultMaxTokens, "prompt").ConfigureAwait(false);
        var choices = new JsonArray([.. sampled.Choices.Select(choice => (JsonNode)ResponseJson.Choice(choice, "text", choice.Result.Text ?? "", parameters, model))]);
        return ResponseJson.Envelope("cmpl", "text_completion", model, choices, sampled);
    }

    /// <summary>The prompts of a request: text, a token list, or a list of either.</summary>
    private static List<int[]> Prompts(JsonNode? prompt, ServedModel model)
    {
        switch (prompt)
        {
            case null:
                throw OpenAiError.BadParameter("prompt", "prompt is required: a string, a list of token ids, or a list of either.");
            case JsonValue text when text.TryGetValue<string>(out var s):
                return [Encode(s, model)];
            case JsonArray { Count: 0 }:
                throw OpenAiError.BadParameter("prompt", "prompt is an empty list; give a string or token ids.");
            case JsonArray ids when ids.All(IsInteger):
                return [TokenIds(ids)];
            case JsonArray list when list.All(e => e is JsonArray inner && inner.All(IsInteger)):
                return [.. list.Select(e => TokenIds((JsonArray)e!))];
            case JsonArray texts when texts.All(e => e is JsonValue v && v.TryGetValue<string>(out _)):
                return [.. texts.Select(e => Encode(e!.GetValue<string>(), model))];
            default:
                throw RequestFields.Wrong("prompt", "a string, a list of token ids, a list of strings or a list of token-id lists", prompt);
        }
    }

    private static int[] Encode(string text, ServedModel model)
    {
        if (model.Engine.Tokenizer is null)
        {
            throw OpenAiError.BadParameter("prompt", "this model folder has no tokenizer, so prompts must be token ids (a list of integers).");
        }

        try
        {
            return model.Engine.EncodePrompt(text);
        }
        catch (ArgumentException e)
        {
            throw OpenAiError.BadParameter("prompt", e.Message);
        }
    }

    private static bool IsInteger(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out _);

    private static int[] TokenIds(JsonArray ids) => [.. ids.Select(e =>
    {
        var id = e!.GetValue<long>();
        return id is >= 0 and <= int.MaxValue
            ? (int)id
            : throw OpenAiError.BadParameter("prompt", string.Create(CultureInfo.InvariantCulture, $"token id {id} is outside the vocabulary."));
    })];
}
