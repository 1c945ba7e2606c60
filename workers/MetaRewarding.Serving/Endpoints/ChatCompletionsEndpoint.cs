using System.Text.Json.Nodes;
using MetaRewarding.Serving.Protocol;
using MetaRewarding.Tokenization;

namespace MetaRewarding.Serving.Endpoints;

/// <summary>
/// <c>POST /v1/chat/completions</c>: <c>messages</c> rendered with the model's own chat template (tokenizer_config.json's,
/// e.g. Llama 3's), ending where the assistant's reply starts. <c>max_tokens</c> (or <c>max_completion_tokens</c>)
/// defaults to the rest of the context, as vLLM does.
/// </summary>
internal static class ChatCompletionsEndpoint
{
    public const string Route = "/v1/chat/completions";

    private static readonly string[] Fields = [.. SamplingParameters.Fields, "messages", "max_completion_tokens", "top_logprobs"];

    /// <summary>The answer's JSON, or null when it was streamed to <paramref name="context"/>.</summary>
    public static async Task<JsonObject?> HandleAsync(HttpContext context, string body, ServedModel model, ChoiceSampler sampler)
    {
        var fields = RequestFields.Parse(body, Fields, Route);
        if (fields.Has("max_tokens") && fields.Has("max_completion_tokens"))
        {
            throw OpenAiError.BadParameter("max_completion_tokens", "give max_tokens or max_completion_tokens, not both.");
        }

        var parameters = SamplingParameters.Read(fields, fields.Has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens");
        SamplingParameters.RefuseUnlessNeutral(fields, "top_logprobs", v => v is null, "log-probabilities are not returned by this server");
        var conversation = Messages(fields["messages"]);
        sampler.CheckModel(parameters.Model);
        var prompt = Render(conversation, model);
        if (parameters.Stream)
        {
            await StreamingResponse.WriteAsync(context, model, parameters, StreamShape.Chat,
                onTokens => sampler.SampleAsync([prompt], parameters, length => model.ContextLength - length, "messages", onTokens)).ConfigureAwait(false);
            return null;
        }

        var sampled = await sampler.SampleAsync([prompt], parameters, length => model.ContextLength - length, "messages").ConfigureAwait(false);
        var choices = new JsonArray([.. sampled.Choices.Select(choice => (JsonNode)ResponseJson.Choice(choice, "message", new JsonObject { ["role"] = ChatMessage.AssistantRole, ["content"] = choice.Result.Text ?? "" }, parameters, model))]);
        return ResponseJson.Envelope("chatcmpl", "chat.completion", model, choices, sampled);
    }

    private static int[] Render(List<ChatMessage> conversation, ServedModel model)
    {
        if (model.Engine.Tokenizer is null)
        {
            throw OpenAiError.BadParameter("messages", "this model folder has no tokenizer, so it has no chat template; use /v1/completions with token ids.");
        }

        try
        {
            return model.Engine.RenderChat(conversation);
        }
        catch (NotSupportedException e)
        {
            throw OpenAiError.BadParameter("messages", $"{e.Message} Use /v1/completions with a prompt you format yourself.");
        }
        catch (ArgumentException e)
        {
            throw OpenAiError.BadParameter("messages", e.Message);
        }
    }

    /// <summary><c>messages</c>: objects with a <c>role</c> and a <c>content</c> string (or a list of text parts).</summary>
    private static List<ChatMessage> Messages(JsonNode? messages)
    {
        if (messages is not JsonArray { Count: > 0 } list)
        {
            throw RequestFields.Wrong("messages", "a non-empty array of {\"role\", \"content\"} objects", messages);
        }

        var conversation = new List<ChatMessage>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject message
                || message["role"] is not JsonValue role || !role.TryGetValue<string>(out var roleName) || string.IsNullOrEmpty(roleName))
            {
                throw OpenAiError.BadParameter($"messages[{i}]", $"messages[{i}] must be an object with a non-empty string \"role\", got {RequestFields.Describe(list[i])}.");
            }

            conversation.Add(new ChatMessage(roleName, Content(message["content"], i)));
        }

        return conversation;
    }

    private static string Content(JsonNode? content, int index) => content switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        JsonArray parts when parts.All(p => p is JsonObject part && (string?)part["type"] == "text" && part["text"] is JsonValue t && t.TryGetValue<string>(out _)) =>
            string.Concat(parts.Select(p => p!["text"]!.GetValue<string>())),
        _ => throw OpenAiError.BadParameter($"messages[{index}].content",
            $"messages[{index}].content must be a string or a list of {{\"type\": \"text\", \"text\": ...}} parts (only text is supported), got {RequestFields.Describe(content)}."),
    };
}
