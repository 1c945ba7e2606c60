using System.Text.Json.Nodes;
using System.Threading.Channels;
using MetaRewarding.Modeling.Generation;
using MetaRewarding.Serving.Protocol;

namespace MetaRewarding.Serving.Endpoints;

/// <summary>
/// <c>stream: true</c>: the answer as server-sent events, OpenAI's chunks (<c>data: {...}</c>, then <c>data: [DONE]</c>).
/// The engine's loop hands each choice's tokens over after every decoding step; their text goes out as it grows, held
/// back while it could still be the start of a stop string or ends in half a character, so the concatenated deltas are
/// exactly the non-streamed text. Each choice ends with a chunk carrying its <c>finish_reason</c>; with
/// <c>stream_options.include_usage</c> a last chunk carries <c>usage</c>. Nothing is sent before the first tokens (or
/// the end), so a request the engine refuses still gets its 4xx.
/// </summary>
internal static class StreamingResponse
{
    /// <summary>Streams the choices <paramref name="sample"/> produces (it is given the token callback to pass to the sampler).</summary>
    public static async Task WriteAsync(
        HttpContext context, ServedModel model, SamplingParameters parameters, StreamShape shape, Func<Action<int, int[]>, Task<SampledChoices>> sample)
    {
        if (model.Engine.Tokenizer is null)
        {
            throw OpenAiError.BadParameter("stream", "streaming sends text, and this model folder has no tokenizer; send stream: false (choices then carry token_ids).");
        }

        var tokens = Channel.CreateUnbounded<(int Index, int[] Tokens)>(new UnboundedChannelOptions { SingleReader = true });
        var sampling = sample((index, ids) => tokens.Writer.TryWrite((index, ids)));
        _ = sampling.ContinueWith(_ => tokens.Writer.TryComplete(), TaskScheduler.Default);
        var abort = context.RequestAborted;
        if (!await tokens.Reader.WaitToReadAsync(abort).ConfigureAwait(false))
        {
            await sampling.ConfigureAwait(false); // refused or failed before any token: the caller answers with the error
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var chunks = new ChunkWriter(context.Response, shape, model, abort);
        var sent = new Dictionary<int, string>();
        await foreach (var (index, ids) in tokens.Reader.ReadAllAsync(abort).ConfigureAwait(false))
        {
            var visible = Visible(model.Engine.Decode(ids), parameters.Stop);
            var before = sent.GetValueOrDefault(index, "");
            if (visible.Length > before.Length && visible.StartsWith(before, StringComparison.Ordinal))
            {
                await chunks.WriteAsync(index, visible[before.Length..], first: !sent.ContainsKey(index), finish: null).ConfigureAwait(false);
                sent[index] = visible;
            }
        }

        var result = await sampling.ConfigureAwait(false);
        foreach (var choice in result.Choices)
        {
            var text = choice.Result.Text ?? "";
            var before = sent.GetValueOrDefault(choice.Index, "");
            var rest = text.StartsWith(before, StringComparison.Ordinal) ? text[before.Length..] : "";
            await chunks.WriteAsync(choice.Index, rest, first: !sent.ContainsKey(choice.Index), finish: choice).ConfigureAwait(false);
        }

        if (parameters.IncludeUsage)
        {
            await chunks.WriteUsageAsync(result).ConfigureAwait(false);
        }

        await chunks.WriteDoneAsync().ConfigureAwait(false);
    }

    /// <summary>What of <paramref name="text"/> can go out now: no trailing half character, and nothing a stop string could still start in.</summary>
    private static string Visible(string text, IReadOnlyList<string> stops)
    {
        var safe = text.TrimEnd('\uFFFD');
        var holdBack = stops.Count == 0 ? 0 : stops.Max(s => s.Length) - 1;
        return safe[..Math.Max(0, safe.Length - holdBack)];
    }

    /// <summary>Writes the chunks of one stream: one id and creation time, the shape's choice fields.</summary>
    private sealed class ChunkWriter(HttpResponse response, StreamShape shape, ServedModel model, CancellationToken abort)
    {
        private readonly string id = $"{shape.IdPrefix}-{Guid.NewGuid():N}";
        private readonly long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        public Task WriteAsync(int index, string delta, bool first, SampledChoice? finish)
        {
            var choice = shape.Choice(index, delta, first);
            choice["logprobs"] = null;
            var (reason, stopReason) = finish is null ? (null, null) : OpenAiFinishReasons.Write(finish.Result.FinishReason, finish.MatchedStop);
            choice["finish_reason"] = reason;
            choice["stop_reason"] = stopReason;
            return SendAsync(Chunk(new JsonArray(choice)));
        }

        public Task WriteUsageAsync(SampledChoices result)
        {
            var chunk = Chunk([]);
            chunk["usage"] = ResponseJson.Usage(result);
            return SendAsync(chunk);
        }

        public async Task WriteDoneAsync()
        {
            await response.WriteAsync("data: [DONE]\n\n", abort).ConfigureAwait(false);
            await response.Body.FlushAsync(abort).ConfigureAwait(false);
        }

        private JsonObject Chunk(JsonArray choices) => new()
        {
            ["id"] = id,
            ["object"] = shape.ObjectType,
            ["created"] = created,
            ["model"] = model.Name,
            ["choices"] = choices,
        };

        private async Task SendAsync(JsonObject chunk)
        {
            await response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", abort).ConfigureAwait(false);
            await response.Body.FlushAsync(abort).ConfigureAwait(false);
        }
    }
}

/// <summary>How an endpoint's stream chunks look: their id prefix and object type, and a choice's fields for a text delta.</summary>
internal sealed record StreamShape(string IdPrefix, string ObjectType, Func<int, string, bool, JsonObject> Choice)
{
    /// <summary><c>/v1/completions</c>: <c>{"index", "text"}</c>.</summary>
    public static StreamShape Completion { get; } = new("cmpl", "text_completion", (index, delta, _) => new JsonObject { ["index"] = index, ["text"] = delta });

    /// <summary><c>/v1/chat/completions</c>: <c>{"index", "delta": {"role" (first chunk), "content"}}</c>.</summary>
    public static StreamShape Chat { get; } = new("chatcmpl", "chat.completion.chunk", (index, delta, first) =>
    {
        var content = new JsonObject();
        if (first)
        {
            content["role"] = Tokenization.ChatMessage.AssistantRole;
        }

        content["content"] = delta;
        return new JsonObject { ["index"] = index, ["delta"] = content };
    });
}
