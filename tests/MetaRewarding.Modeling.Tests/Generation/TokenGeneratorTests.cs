using MetaRewarding.Modeling.Generation;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Modeling.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Generation;

public sealed class TokenGeneratorTests : IDisposable
{
    private static readonly int[] ShortPrompt = [17, 301, 44];
    private static readonly int[] LongPrompt = [5, 88, 213, 412, 9, 77, 150, 599];
    private static readonly int[] MiddlePrompt = [420, 33, 2, 191, 8];

    private readonly LlamaForCausalLM model;

    public TokenGeneratorTests()
    {
        TorchRuntime.Initialize();
        model = LlamaForCausalLM.FromPretrained(HfFixture.Model("model-b"), ScalarType.Float32, CPU);
    }

    public void Dispose() => model.Dispose();

    [Fact]
    public void Generate_GreedyBatchOfDifferentLengths_EqualsEachPromptAlone()
    {
        var options = new GenerationOptions { Greedy = true, MaxNewTokens = 12, EosTokenIds = [] };
        var generator = new TokenGenerator(model);
        var prompts = new[] { ShortPrompt, LongPrompt, MiddlePrompt };

        var batched = generator.Generate(prompts.Select(p => new GenerationRequest { PromptIds = p }).ToList(), options);

        for (var i = 0; i < prompts.Length; i++)
        {
            var alone = generator.Generate([new GenerationRequest { PromptIds = prompts[i] }], options);
            Assert.Equal(alone[0].CompletionIds, batched[i].CompletionIds);
            Assert.Equal(12, batched[i].CompletionIds.Count);
        }
    }

    [Fact]
    public void Generate_RowsFinishingAtDifferentSteps_EachEqualsItsRunAlone()
    {
        var generator = new TokenGenerator(model);
        var free = generator.Generate([new GenerationRequest { PromptIds = LongPrompt }], new GenerationOptions { Greedy = true, MaxNewTokens = 12, EosTokenIds = [] })[0];
        // An eos id that ends the long prompt's completion early while the other rows keep going (each finished row
        // leaves the batch as it finishes).
        var options = new GenerationOptions { Greedy = true, MaxNewTokens = 12, EosTokenIds = [free.CompletionIds[2]] };
        var prompts = new[] { ShortPrompt, LongPrompt, MiddlePrompt };

        var batched = generator.Generate(prompts.Select(p => new GenerationRequest { PromptIds = p }).ToList(), options);

        Assert.Contains(batched, r => r.FinishReason == FinishReason.Eos);
        Assert.Contains(batched, r => r.FinishReason == FinishReason.Length);
        for (var i = 0; i < prompts.Length; i++)
        {
            var alone = generator.Generate([new GenerationRequest { PromptIds = prompts[i] }], options)[0];
            Assert.Equal(alone.CompletionIds, batched[i].CompletionIds);
            Assert.Equal(alone.FinishReason, batched[i].FinishReason);
        }
    }

    [Fact]
    public void Generate_RowsFinishingTogether_ReportsCompletedRequestsAfterEachStepThatFinishesSome()
    {
        var reported = new List<int>();
        var requests = Enumerable.Range(0, 5).Select(i => new GenerationRequest { PromptIds = ShortPrompt, Seed = i }).ToList();

        new TokenGenerator(model).Generate(requests, new GenerationOptions { MaxNewTokens = 2, BatchSize = 2 }, progress: new SynchronousProgress(reported.Add));

        Assert.Equal([2, 4, 5], reported);
    }

    [Fact]
    public void StaticBatchGenerator_SameRequests_GivesTheSameCompletionsAsContinuousBatching()
    {
        // bench compares the two on the same work, so they must compute the same thing.
        var requests = new[] { ShortPrompt, LongPrompt, MiddlePrompt, LongPrompt }.Select((p, i) => new GenerationRequest { PromptIds = p, Seed = i }).ToList();
        var options = new GenerationOptions { Temperature = 0.8, TopP = 0.9, MaxNewTokens = 10, EosTokenIds = [], BatchSize = 2 };

        var continuous = new TokenGenerator(model).Generate(requests, options);
        var staticBatches = new StaticBatchGenerator(model).Generate(requests, options);

        Assert.Equal(continuous.Select(r => r.CompletionIds), staticBatches.Select(r => r.CompletionIds));
    }

    [Fact]
    public void Generate_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => new TokenGenerator(model).Generate(
            [new GenerationRequest { PromptIds = ShortPrompt }], new GenerationOptions { MaxNewTokens = 4 }, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void Generate_SampledRequestAloneOrWithDifferentMates_GivesTheSameCompletion()
    {
        var options = new GenerationOptions { Temperature = 1.0, TopP = 0.9, TopK = 50, MaxNewTokens = 16, EosTokenIds = [] };
        var generator = new TokenGenerator(model);
        var request = new GenerationRequest { PromptIds = MiddlePrompt, Seed = 42 };

        var alone = generator.Generate([request], options)[0];
        var withMates = generator.Generate(
            [new GenerationRequest { PromptIds = LongPrompt, Seed = 1 }, request, new GenerationRequest { PromptIds = ShortPrompt, Seed = 7 }], options)[1];
        var otherMatesAndBatchSize = generator.Generate(
            [request, new GenerationRequest { PromptIds = ShortPrompt, Seed = 99 }], options with { BatchSize = 2 })[0];

        Assert.Equal(alone.CompletionIds, withMates.CompletionIds);
        Assert.Equal(alone.CompletionIds, otherMatesAndBatchSize.CompletionIds);
    }

    [Fact]
    public void Generate_DifferentSeeds_GiveDifferentCompletions()
    {
        var options = new GenerationOptions { Temperature = 1.0, MaxNewTokens = 16, EosTokenIds = [] };
        var results = new TokenGenerator(model).Generate(
            Enumerable.Range(0, 4).Select(seed => new GenerationRequest { PromptIds = MiddlePrompt, Seed = seed }).ToList(), options);

        // The fixture's logits are wide but not one-hot: four 16-token samples from distinct seeds all being equal
        // would mean the seed is ignored.
        Assert.True(results.Select(r => string.Join(",", r.CompletionIds)).Distinct().Count() > 1);
    }

    [Fact]
    public void Generate_TopKOne_EqualsGreedy()
    {
        var generator = new TokenGenerator(model);
        var greedy = generator.Generate([new GenerationRequest { PromptIds = LongPrompt }], new GenerationOptions { Greedy = true, MaxNewTokens = 10, EosTokenIds = [] });
        var topOne = generator.Generate([new GenerationRequest { PromptIds = LongPrompt, Seed = 5 }], new GenerationOptions { TopK = 1, Temperature = 0.7, MaxNewTokens = 10, EosTokenIds = [] });
        Assert.Equal(greedy[0].CompletionIds, topOne[0].CompletionIds);
    }

    [Fact]
    public void Generate_EosTokenOnGreedyPath_StopsBeforeItWithReasonEos()
    {
        var generator = new TokenGenerator(model);
        var free = generator.Generate([new GenerationRequest { PromptIds = LongPrompt }], new GenerationOptions { Greedy = true, MaxNewTokens = 12, EosTokenIds = [] })[0].CompletionIds;
        var eos = free[3];
        var stopAt = free.ToList().IndexOf(eos);

        var stopped = generator.Generate([new GenerationRequest { PromptIds = LongPrompt }], new GenerationOptions { Greedy = true, MaxNewTokens = 12, EosTokenIds = [eos] })[0];

        Assert.Equal(FinishReason.Eos, stopped.FinishReason);
        Assert.Equal(free.Take(stopAt), stopped.CompletionIds);
    }

    [Fact]
    public void Generate_StopString_CutsTextBeforeItWithReasonStop()
    {
        static string Decode(IReadOnlyList<int> ids) => string.Concat(ids.Select(i => $"<{i}>"));
        var generator = new TokenGenerator(model, Decode);
        var free = generator.Generate([new GenerationRequest { PromptIds = ShortPrompt }], new GenerationOptions { Greedy = true, MaxNewTokens = 12, EosTokenIds = [] })[0];
        var stopToken = free.CompletionIds[4];
        var stopAt = free.CompletionIds.ToList().IndexOf(stopToken);

        var stopped = generator.Generate([new GenerationRequest { PromptIds = ShortPrompt }],
            new GenerationOptions { Greedy = true, MaxNewTokens = 12, EosTokenIds = [], StopStrings = [$"<{stopToken}>"] })[0];

        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(Decode(free.CompletionIds.Take(stopAt).ToList()), stopped.Text);
        Assert.Equal(free.CompletionIds.Take(stopAt + 1), stopped.CompletionIds);
        Assert.Equal(Decode(free.CompletionIds), free.Text);
    }

    [Fact]
    public void Generate_ManySteps_LeavesNoTensorsAlive()
    {
        var generator = new TokenGenerator(model);
        var request = new GenerationRequest { PromptIds = LongPrompt, Seed = 3 };
        var options = new GenerationOptions { TopP = 0.8, MaxNewTokens = 24, EosTokenIds = [] };
        generator.Generate([request, request with { PromptIds = ShortPrompt }], options); // warm-up: lazily created tensors

        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        generator.Generate([request, request with { PromptIds = ShortPrompt }], options);

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Generate_InvalidRequests_ThrowNamingTheProblem()
    {
        var generator = new TokenGenerator(model);
        var options = new GenerationOptions { Greedy = true, MaxNewTokens = 2 };

        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => generator.Generate([new GenerationRequest { PromptIds = [] }], options)).Message, StringComparison.Ordinal);
        Assert.Contains("600", Assert.Throws<ArgumentException>(() => generator.Generate([new GenerationRequest { PromptIds = [3, 600] }], options)).Message, StringComparison.Ordinal);
        Assert.Contains("decode", Assert.Throws<ArgumentException>(() => generator.Generate([new GenerationRequest { PromptIds = [3] }], options with { StopStrings = ["x"] })).Message, StringComparison.Ordinal);
        Assert.Contains("temperature", Assert.Throws<ArgumentException>(() => generator.Generate([new GenerationRequest { PromptIds = [3] }], new GenerationOptions { Temperature = 0 })).Message, StringComparison.Ordinal);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this one reports inline so the test sees every value.</summary>
    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
