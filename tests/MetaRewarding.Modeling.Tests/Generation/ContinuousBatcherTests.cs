using MetaRewarding.Modeling.Generation;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Modeling.Tests.Checkpoints;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Generation;

/// <summary>
/// Continuous batching and shared prefixes on the fixture's model-b (GQA 4/1 heads, fp32): each request's completion
/// equals its completion generated alone, whatever refills, budgets or shared prefixes its batch mates bring.
/// </summary>
public sealed class ContinuousBatcherTests : IDisposable
{
    private static readonly int[] Rubric = [5, 88, 213, 412, 9, 77, 150, 599, 31, 64, 128, 256, 17, 301, 44, 420, 33, 2, 191, 8];

    private readonly LlamaForCausalLM model;

    public ContinuousBatcherTests()
    {
        TorchRuntime.Initialize();
        model = LlamaForCausalLM.FromPretrained(HfFixture.Model("model-b"), ScalarType.Float32, CPU);
    }

    public void Dispose() => model.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Generate_SampledRequestsWithRefills_EachEqualsItsCompletionAlone(int batchSize)
    {
        // Varied prompt lengths and an eos id that ends some completions early, so rows finish at different steps
        // and waiting requests take their places mid-batch.
        var requests = Enumerable.Range(0, 9).Select(i => new GenerationRequest
        {
            PromptIds = [.. Rubric.Take(3 + (i * 5 % 17))],
            Seed = 1000 + i,
        }).ToList();
        var generator = new TokenGenerator(model);
        var free = generator.Generate(requests, new GenerationOptions { Temperature = 0.9, TopP = 0.95, MaxNewTokens = 14, EosTokenIds = [] });
        // Sampling does not depend on the eos ids, so request 0 now ends at its third token, and any other request
        // that samples this id ends there too.
        var options = new GenerationOptions { Temperature = 0.9, TopP = 0.95, MaxNewTokens = 14, EosTokenIds = [free[0].CompletionIds[2]], BatchSize = batchSize };

        var batched = generator.Generate(requests, options);

        Assert.Contains(batched, r => r.FinishReason == FinishReason.Eos);
        Assert.Contains(batched, r => r.FinishReason == FinishReason.Length);
        Assert.True(generator.LastStatistics.PeakRows <= batchSize);
        for (var i = 0; i < requests.Count; i++)
        {
            var alone = generator.Generate([requests[i]], options with { SharePrefixes = false })[0];
            Assert.Equal(alone.CompletionIds, batched[i].CompletionIds);
            Assert.Equal(alone.FinishReason, batched[i].FinishReason);
        }
    }

    [Fact]
    public void Generate_IdenticalPrompts_PrefillOnceAndMatchUnsharedGreedyTokensAndLogProbs()
    {
        // The judge shape: N samples of one long prompt. With sharing, its first T-1 positions are computed once.
        var prompt = Rubric.Concat(Rubric).ToArray();
        var requests = Enumerable.Range(0, 5).Select(i => new GenerationRequest { PromptIds = prompt, Seed = i }).ToList();
        var options = new GenerationOptions { Greedy = true, MaxNewTokens = 10, EosTokenIds = [], BatchSize = 2 };
        var generator = new TokenGenerator(model);

        var unshared = generator.Generate(requests, options with { SharePrefixes = false });
        Assert.Equal(0, generator.LastStatistics.ReusedPrefixTokens);
        Assert.Equal(5L * (prompt.Length - 1), generator.LastStatistics.PrefillTokens);
        var shared = generator.Generate(requests, options);

        Assert.Equal(prompt.Length - 1, generator.LastStatistics.PrefillTokens);
        Assert.Equal(4L * (prompt.Length - 1), generator.LastStatistics.ReusedPrefixTokens);
        AssertSameCompletions(unshared, shared);
    }

    [Fact]
    public void Generate_CommonPrefixThenDifferentEndings_ReusesThePrefixAndMatchesUnshared()
    {
        // The meta-judge shape: a long common part, then two "judgments" that differ per request.
        var requests = Enumerable.Range(0, 6).Select(i => new GenerationRequest
        {
            PromptIds = [.. Rubric, .. Rubric.Take(12), 100 + i, 200 + (i % 3), 300 - i],
            Seed = i,
        }).ToList();
        var options = new GenerationOptions { Greedy = true, MaxNewTokens = 8, EosTokenIds = [], BatchSize = 3 };
        var generator = new TokenGenerator(model);

        var unshared = generator.Generate(requests, options with { SharePrefixes = false });
        var shared = generator.Generate(requests, options);

        Assert.Equal(5L * (Rubric.Length + 12), generator.LastStatistics.ReusedPrefixTokens);
        AssertSameCompletions(unshared, shared);
    }

    [Fact]
    public void Generate_KvBudgetForTwoRows_RunsAtMostTwoAndMatchesUnbudgeted()
    {
        var requests = Enumerable.Range(0, 5).Select(i => new GenerationRequest { PromptIds = [.. Rubric.Skip(i).Take(6)], Seed = 50 + i }).ToList();
        var options = new GenerationOptions { TopK = 20, MaxNewTokens = 10, EosTokenIds = [], BatchSize = 5 };
        var generator = new TokenGenerator(model);
        var free = generator.Generate(requests, options);
        Assert.Equal(5, generator.LastStatistics.PeakRows);

        // Each request needs 6 + 10 = 16 positions (the allocation granule): 40 positions hold two rows, not three.
        var budgeted = generator.Generate(requests, options with { KvCacheTokens = 40 });

        Assert.Equal(2, generator.LastStatistics.PeakRows);
        AssertSameCompletions(free, budgeted);
    }

    [Fact]
    public void Step_RequestLongerThanTheCacheArrivesLater_GrowsTheCacheAndKeepsRunningRows()
    {
        // serve's situation: a short request is running when a longer one arrives.
        var options = new GenerationOptions { Greedy = true, MaxNewTokens = 12, EosTokenIds = [] };
        var shortRequest = new GenerationRequest { PromptIds = [.. Rubric.Take(3)] };
        var longRequest = new GenerationRequest { PromptIds = [.. Rubric, .. Rubric, .. Rubric] };
        var results = new Dictionary<long, GenerationResult>();
        using (var batcher = new ContinuousBatcher(model, new BatchingOptions { MaxBatchSize = 4 }))
        {
            var first = batcher.Submit(shortRequest, options);
            foreach (var (ticket, result) in batcher.Step().Concat(batcher.Step()))
            {
                results[ticket] = result;
            }

            var second = batcher.Submit(longRequest, options);
            while (batcher.HasWork)
            {
                foreach (var (ticket, result) in batcher.Step())
                {
                    results[ticket] = result;
                }
            }

            var generator = new TokenGenerator(model);
            Assert.Equal(generator.Generate([shortRequest], options)[0].CompletionIds, results[first].CompletionIds);
            Assert.Equal(generator.Generate([longRequest], options)[0].CompletionIds, results[second].CompletionIds);
        }
    }

    [Fact]
    public void Step_RowsWithDifferentSamplingSettings_EachEqualsItsCompletionAlone()
    {
        var greedy = new GenerationOptions { Greedy = true, MaxNewTokens = 9, EosTokenIds = [] };
        var hot = new GenerationOptions { Temperature = 1.3, TopK = 40, MaxNewTokens = 7, EosTokenIds = [] };
        var nucleus = new GenerationOptions { Temperature = 0.7, TopP = 0.8, MaxNewTokens = 11, EosTokenIds = [] };
        var work = new (GenerationRequest Request, GenerationOptions Options)[]
        {
            (new GenerationRequest { PromptIds = [.. Rubric.Take(5)], Seed = 1 }, greedy),
            (new GenerationRequest { PromptIds = [.. Rubric.Take(9)], Seed = 2 }, hot),
            (new GenerationRequest { PromptIds = [.. Rubric.Take(4)], Seed = 3 }, nucleus),
            (new GenerationRequest { PromptIds = [.. Rubric.Take(7)], Seed = 4 }, hot),
        };
        var results = new GenerationResult[work.Length];
        using (var batcher = new ContinuousBatcher(model, new BatchingOptions { MaxBatchSize = 4 }))
        {
            foreach (var (request, options) in work)
            {
                batcher.Submit(request, options);
            }

            while (batcher.HasWork)
            {
                foreach (var (ticket, result) in batcher.Step())
                {
                    results[ticket] = result;
                }
            }
        }

        var generator = new TokenGenerator(model);
        for (var i = 0; i < work.Length; i++)
        {
            Assert.Equal(generator.Generate([work[i].Request], work[i].Options)[0].CompletionIds, results[i].CompletionIds);
            Assert.Equal(work[i].Options.MaxNewTokens, results[i].CompletionIds.Count);
        }
    }

    [Fact]
    public void Submit_PromptPlusMaxNewTokensBeyondTheContext_IsRefusedNamingBoth()
    {
        var config = model.Config with { MaxPositionEmbeddings = 16 };
        using var small = LlamaForCausalLM.Create(config, ScalarType.Float32, CPU, seed: 1);
        using var batcher = new ContinuousBatcher(small, new BatchingOptions());

        var error = Assert.Throws<ArgumentException>(() => batcher.Submit(
            new GenerationRequest { PromptIds = [.. Rubric.Take(10)] }, new GenerationOptions { Greedy = true, MaxNewTokens = 7 }));

        Assert.Contains("10 tokens", error.Message, StringComparison.Ordinal);
        Assert.Contains("context of 16", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, batcher.Waiting);
    }

    [Fact]
    public void Generate_TokenLogProbs_AreTheModelsLogSoftmaxOfEachChosenToken()
    {
        var prompt = Rubric.Take(6).ToArray();
        var result = new TokenGenerator(model).Generate(
            [new GenerationRequest { PromptIds = prompt, Seed = 9 }], new GenerationOptions { Temperature = 1.0, MaxNewTokens = 5, EosTokenIds = [] })[0];

        // Recompute with one plain forward pass over prompt + completion.
        long[] ids = [.. prompt.Concat(result.CompletionIds).Select(id => (long)id)];
        using var logits = model.forward(tensor(ids, [1, ids.Length]), null);
        using var logSoftmax = logits.log_softmax(-1);
        for (var k = 0; k < result.CompletionIds.Count; k++)
        {
            var expected = logSoftmax[0, prompt.Length - 1 + k, result.CompletionIds[k]].item<float>();
            Assert.Equal(expected, result.TokenLogProbs[k], 1e-4);
        }
    }

    /// <summary>
    /// Greedy tokens must be identical. Log-probs may differ in the last bits: a shared prefix's keys were computed in a
    /// prefill of another length (a different matrix shape, so a different summation order). 1e-4 absolute is ~1000×
    /// fp32's relative epsilon on values of order 1–10, far above that rounding and far below any real difference.
    /// </summary>
    private static void AssertSameCompletions(IReadOnlyList<GenerationResult> expected, IReadOnlyList<GenerationResult> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].CompletionIds, actual[i].CompletionIds);
            Assert.Equal(expected[i].FinishReason, actual[i].FinishReason);
            for (var k = 0; k < expected[i].TokenLogProbs.Count; k++)
            {
                Assert.Equal(expected[i].TokenLogProbs[k], actual[i].TokenLogProbs[k], 1e-4);
            }
        }
    }
}
