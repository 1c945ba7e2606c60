using MetaRewarding.Modeling.Scoring;
using MetaRewarding.Modeling.Tests.Training;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Scoring;

public class CompletionLogProbsTests
{
    [Fact]
    public void Score_PaddedBatch_EqualsOneByOneLogSoftmaxOfCompletionTokens()
    {
        using var model = new TinyCausalLM();
        model.eval();
        CompletionSequence[] items =
        [
            new([1, 2, 3], [4, 5]),
            new([7], [8, 9, 10, 11, 12]),
            new([13, 14, 15, 16], []),
            new([17, 18], [19]),
        ];

        var batched = CompletionLogProbs.Score(model, items, batchSize: 4, CPU);

        for (var i = 0; i < items.Length; i++)
        {
            var expected = ManualCompletionLogProb(model, items[i]);
            Assert.Equal(items[i].CompletionIds.Count, batched[i].Tokens);
            // fp32 logits summed over <= 5 tokens: padding changes only the batch shape, 1e-5 absolute covers
            // different reduction orders in libtorch's kernels.
            Assert.Equal(expected, batched[i].LogProb, 1e-5);
        }
    }

    [Fact]
    public void Sum_WithGradients_BackpropagatesOnlyThroughCompletionTargets()
    {
        using var model = new TinyCausalLM();
        using var batch = CompletionBatch.Create([new CompletionSequence([1, 2], [3])], CPU);
        using var perToken = CompletionLogProbs.PerToken(model, batch);
        var values = perToken.detach().data<float>().ToArray();
        Assert.Equal(0f, values[0]); // target 2 is a prompt token
        Assert.True(values[1] < 0f); // target 3 is the completion token
        using var sum = perToken.sum();
        sum.backward();
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
    }

    // The definition, computed unbatched: Σ_t log softmax(logits[t-1])[id_t] over completion positions t.
    private static double ManualCompletionLogProb(TinyCausalLM model, CompletionSequence item)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long[] ids = [.. item.PromptIds.Concat(item.CompletionIds).Select(i => (long)i)];
        var logits = model.forward(tensor(ids).unsqueeze(0), null)[0];
        var logProbs = logits.log_softmax(-1);
        var total = 0.0;
        for (var t = item.PromptIds.Count; t < ids.Length; t++)
        {
            total += logProbs[t - 1, ids[t]].item<float>();
        }

        return total;
    }
}
