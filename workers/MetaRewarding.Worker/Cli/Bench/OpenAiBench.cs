using System.Globalization;
using System.Text.Json.Nodes;
using MetaRewarding.Activities.Model.OpenAi;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Modeling.Engine;
using MetaRewarding.Modeling.Generation;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Serving;

namespace MetaRewarding.Worker.Cli.Bench;

/// <summary>
/// <c>--mode openai</c>: the <c>openai</c> generation backend's client (<see cref="OpenAiEndpoint"/>, the requests a
/// shard sends: one per sample, <c>n = 1</c>, its own seed, token-id prompts) against <c>serve</c>
/// (<see cref="OpenAiServer"/>, in this process, over loopback HTTP) on the benchmark model, at concurrency 1, 8 and 32:
/// requests/s and completion tokens/s, wall and process CPU time. <c>--groups</c> × 8 requests of <c>--prompt</c>
/// random tokens, <c>--new-tokens</c> each (the random model has no end-of-sequence, so every request makes exactly
/// that many), sampled at temperature 1; the server decodes up to <c>--batch</c> rows. The same requests through the
/// engine in one call (no HTTP) are the reference: <c>engine_tokens_per_s</c>.
/// </summary>
internal static class OpenAiBench
{
    private static readonly int[] Concurrencies = [1, 8, 32];

    public static BenchRun Run(LlamaForCausalLM model, BenchSettings settings)
    {
        model.eval();
        var count = Math.Max(1, settings.Groups) * 8;
        var random = new Random(0);
        var prompts = Enumerable.Range(0, count)
            .Select(_ => Enumerable.Range(0, settings.Prompt).Select(_ => random.Next(3, model.Config.VocabSize)).ToArray())
            .ToArray();
        var engine = new CheckpointEngine(model, tokenizer: null);
        var direct = BenchCommand.Time(settings, () => engine.Generate(
            [.. prompts.Select((p, i) => new GenerationRequest { PromptIds = p, Seed = i })],
            new GenerationOptions { MaxNewTokens = settings.NewTokens, Temperature = 1, EosTokenIds = [], BatchSize = settings.Batch }));
        var tokens = (long)count * settings.NewTokens;

        var server = OpenAiServer.StartAsync(engine, new ServeOptions { Port = 0, ModelName = "bench", MaxBatchSize = settings.Batch }).GetAwaiter().GetResult();
        try
        {
            var extra = new JsonObject
            {
                ["requests"] = count,
                ["engine_tokens_per_s"] = Math.Round(tokens / BenchCommand.Median(direct.Wall), 1),
            };
            BenchTimes last = new();
            foreach (var concurrency in Concurrencies)
            {
                using var client = new OpenAiEndpoint(
                    new GenerationSettings { Backend = GenerationBackend.Openai, BaseUrl = server.BaseAddress.ToString(), MaxConcurrency = concurrency, MaxRetries = 0 },
                    TimeSpan.FromSeconds(1));
                long generated = 0;
                last = BenchCommand.Time(settings, () => generated = SendAll(client, prompts, settings.NewTokens, concurrency));
                if (generated != tokens)
                {
                    throw new InvalidOperationException($"serve generated {generated} tokens for {count} requests of {settings.NewTokens}; expected {tokens}.");
                }

                var wall = BenchCommand.Median(last.Wall);
                extra[string.Create(CultureInfo.InvariantCulture, $"c{concurrency}")] = new JsonObject
                {
                    ["median_s"] = Math.Round(wall, 3),
                    ["cpu_median_s"] = Math.Round(BenchCommand.Median(last.Cpu), 3),
                    ["requests_per_s"] = Math.Round(count / wall, 2),
                    ["tokens_per_s"] = Math.Round(tokens / wall, 1),
                };
            }

            extra["peak_rows"] = server.PeakRows;
            return new BenchRun(last, tokens, settings.Prompt + settings.NewTokens, extra);
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Sends every request with at most <paramref name="concurrency"/> in flight; the completion tokens the server reports.</summary>
    private static long SendAll(OpenAiEndpoint client, int[][] prompts, int newTokens, int concurrency)
    {
        long generated = 0;
        Parallel.ForEachAsync(
            Enumerable.Range(0, prompts.Length),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, ct) =>
            {
                var answer = await client.CompleteAsync(new JsonObject
                {
                    ["model"] = "bench",
                    ["prompt"] = new JsonArray([.. prompts[i].Select(id => (JsonNode)id)]),
                    ["n"] = 1,
                    ["seed"] = i,
                    ["max_tokens"] = newTokens,
                    ["temperature"] = 1.0,
                }, ct).ConfigureAwait(false);
                Interlocked.Add(ref generated, answer["usage"]!["completion_tokens"]!.GetValue<long>());
            }).GetAwaiter().GetResult();
        return generated;
    }
}
