using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Generation;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Tokenization;

namespace MetaRewarding.Activities.Model.OpenAi;

/// <summary>
/// The <c>openai</c> generation backend for one shard. Before any request it checks that the server serves the
/// iteration's checkpoint (<c>/v1/models</c>; otherwise a non-retryable failure with the command that serves it),
/// renders each prompt with the checkpoint's own tokenizer and chat template (the ids the engine would use), and
/// opens the shard's <see cref="ShardJournal"/>: samples a lost attempt already finished are not sent again.
/// </summary>
internal sealed class OpenAiShardSampler(ArtifactStore store, ModelActivitiesOptions options)
{
    /// <summary>Checks the server and prepares the shard's requests; the shard is then sampled with <see cref="OpenAiShard.SampleAsync"/>.</summary>
    public async Task<OpenAiShard> StartAsync(ShardWork work, GenerationSettings settings, CancellationToken cancellationToken)
    {
        var folder = store.Resolve(work.Context.Model, ArtifactCheck.ManifestOnly);
        var checkpoint = ServedCheckpoint.For(settings, folder, work.Context.Iteration);
        var endpoint = new OpenAiEndpoint(settings, options.OpenAiFirstBackoff);
        try
        {
            checkpoint.RequireServedBy(endpoint, await endpoint.ListModelsAsync(cancellationToken).ConfigureAwait(false));
            var config = LlamaConfig.FromJsonFile(Path.Combine(folder, HfFolder.ConfigFileName));
            var prompts = RenderPrompts(work.Requests, folder, settings.PromptFormat, ids => ContextWindow.Problem(config, ids, work.MaxNewTokens) is not null);
            var journal = ShardJournal.Open(store.FullPath(work.JournalPath), Fingerprint(work, checkpoint, settings));
            return new OpenAiShard(work, settings, checkpoint, endpoint, prompts, journal);
        }
        catch
        {
            endpoint.Dispose();
            throw;
        }
    }

    /// <summary>Each request's prompt as the server gets it: the chat-templated ids, or their text (BOS left to the server, as it adds one).</summary>
    private static RenderedPrompt[] RenderPrompts(IReadOnlyList<SampleRequest> requests, string folder, PromptFormat format, Func<int, bool> overContext)
    {
        IChatTemplate chat;
        try
        {
            chat = ChatTemplates.FromModelFolder(folder, TokenizerLoader.FromModelFolder(folder));
        }
        catch (Exception e) when (e is FileNotFoundException or NotSupportedException or InvalidOperationException)
        {
            throw ActivityFailures.InvalidConfiguration($"the checkpoint {folder} has no tokenizer or chat template the worker can render prompts with ({e.Message})", e);
        }

        var byText = new Dictionary<string, RenderedPrompt>(StringComparer.Ordinal);
        return [.. requests.Select(r =>
        {
            if (!byText.TryGetValue(r.UserText, out var prompt))
            {
                var ids = chat.UserPromptIds(r.UserText);
                JsonNode json = format == PromptFormat.Text ? JsonValue.Create(Text(ids, chat.Tokenizer)) : new JsonArray([.. ids.Select(id => (JsonNode)id)]);
                prompt = new RenderedPrompt(json, overContext(ids.Length));
                byText[r.UserText] = prompt;
            }

            return prompt;
        })];
    }

    private static string Text(int[] ids, ITextTokenizer tokenizer)
    {
        var withoutBos = tokenizer.SpecialTokens.BeginOfText is { } bos && ids.Length > 0 && ids[0] == bos ? ids[1..] : ids;
        return tokenizer.Decode(withoutBos, skipSpecialTokens: false);
    }

    /// <summary>What the shard's samples depend on: a journal written for anything else is discarded.</summary>
    private static string Fingerprint(ShardWork work, ServedCheckpoint checkpoint, GenerationSettings settings)
    {
        var identity = new JsonObject
        {
            ["model"] = checkpoint.Name,
            ["checkpoint"] = work.Context.Model.Sha256,
            ["temperature"] = work.Settings.Temperature,
            ["topP"] = work.Settings.TopP,
            ["maxNewTokens"] = work.MaxNewTokens,
            ["promptFormat"] = settings.PromptFormat.ToString(),
            ["requests"] = new JsonArray([.. work.Requests.Select(r => (JsonNode)new JsonArray(r.Id, r.Seed, r.UserText))]),
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToJsonString(JsonSerializerOptions.Default))));
    }
}
