using System.Text.Json.Nodes;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Modeling.Generation;

namespace MetaRewarding.Activities.Model.OpenAi;

/// <summary>
/// One shard's requests against a checked server: sends those the journal does not hold yet, up to
/// <c>generation.maxConcurrency</c> at once in record order (requests sharing a prompt arrive together, for the
/// server's prefix cache), each with <c>n = 1</c> and the sample's own seed, and records each answer as it comes. A
/// prompt that cannot fit the checkpoint's context with its max new tokens is not sent (finish reason <c>context</c>).
/// </summary>
internal sealed class OpenAiShard(
    ShardWork work, Alignment.Configuration.GenerationSettings settings, ServedCheckpoint checkpoint, OpenAiEndpoint endpoint, RenderedPrompt[] prompts, ShardJournal journal)
    : IDisposable
{
    /// <summary>Samples every request (those finished by an earlier attempt come from the journal); results in request order.</summary>
    public async Task<IReadOnlyList<SampledCompletion>> SampleAsync(Action<int> progress, CancellationToken cancellationToken)
    {
        var requests = work.Requests;
        var results = new SampledCompletion[requests.Count];
        var pending = new List<int>();
        for (var i = 0; i < requests.Count; i++)
        {
            if (journal.Completed.TryGetValue(requests[i].Id, out var done))
            {
                results[i] = done;
            }
            else if (prompts[i].OverContext)
            {
                // As the engine backend does (Generation/ContextWindow.cs): never sent, written empty with finish reason context.
                results[i] = new SampledCompletion("", CompletionFinish.Context);
            }
            else
            {
                pending.Add(i);
            }
        }

        var finished = requests.Count - pending.Count;
        progress(finished);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(pending, parallel, async (i, ct) =>
        {
            var answer = await endpoint.CompleteAsync(Body(i), ct).ConfigureAwait(false);
            var completion = Completion(answer);
            journal.Append(requests[i].Id, completion);
            results[i] = completion;
            progress(Interlocked.Increment(ref finished));
        }).ConfigureAwait(false);
        return results;
    }

    /// <summary>The shard is written: its journal goes.</summary>
    public void Complete() => journal.Delete();

    public void Dispose()
    {
        journal.Dispose();
        endpoint.Dispose();
    }

    private JsonObject Body(int index) => new()
    {
        ["model"] = checkpoint.Name,
        ["prompt"] = prompts[index].Prompt.DeepClone(),
        ["n"] = 1,
        ["seed"] = work.Requests[index].Seed,
        ["max_tokens"] = work.MaxNewTokens,
        ["temperature"] = work.Settings.Temperature,
        ["top_p"] = work.Settings.TopP,
    };

    /// <summary>The first choice's text and finish reason; an answer without them is not the protocol's (non-retryable).</summary>
    private SampledCompletion Completion(JsonObject answer)
    {
        if (answer["choices"] is not JsonArray { Count: > 0 } choices || choices[0] is not JsonObject choice)
        {
            throw OpenAiEndpoint.NotOpenAi(endpoint.CompletionsUrl, "POST", $"200 without choices: {OpenAiEndpoint.Excerpt(answer.ToJsonString())}");
        }

        if (choice["text"] is not JsonValue text || !text.TryGetValue<string>(out var completion))
        {
            throw OpenAiEndpoint.NotOpenAi(endpoint.CompletionsUrl, "POST", $"a choice without a \"text\" string (a chat endpoint's answer?): {OpenAiEndpoint.Excerpt(choice.ToJsonString())}");
        }

        var finish = choice["finish_reason"] is JsonValue f && f.TryGetValue<string>(out var name) ? name : null;
        var stopReason = choice["stop_reason"] is JsonValue s && s.TryGetValue<string>(out var stop) ? stop : null;
        return OpenAiFinishReasons.Read(finish, stopReason) is { } reason
            ? new SampledCompletion(completion, SampledCompletion.FinishName(reason))
            : throw OpenAiEndpoint.NotOpenAi(endpoint.CompletionsUrl, "POST", $"finish_reason {(finish is null ? "null" : $"'{finish}'")}, which a finished completion does not have (expected stop or length)");
    }
}
