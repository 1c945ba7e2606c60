using MetaRewarding.Modeling.Native;
using MetaRewarding.Modeling.Scoring;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Scoring;

public class CompletionBatchTests
{
    public CompletionBatchTests() => TorchRuntime.Initialize();

    [Fact]
    public void Create_MixedLengths_RightPadsAndMasksOnlyCompletionTargets()
    {
        using var batch = CompletionBatch.Create(
            [new CompletionSequence([5, 6], [7, 8, 9]), new CompletionSequence([4], [3])], CPU, padTokenId: 0);

        Assert.Equal(new long[] { 5, 6, 7, 8, 9, 4, 3, 0, 0, 0 }, batch.InputIds.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 1, 1, 1, 1, 1, 1, 0, 0, 0 }, batch.AttentionMask.data<long>().ToArray());
        // Row 0: targets are ids[1..] = 6 (prompt), 7, 8, 9 (completion). Row 1: target 3 (completion), then padding.
        Assert.Equal(new float[] { 0, 1, 1, 1, 1, 0, 0, 0 }, batch.CompletionMask.data<float>().ToArray());
        Assert.Equal((int[])[3, 1], batch.CompletionTokens);
        Assert.Equal(7, batch.RealTokens);
    }

    [Fact]
    public void Create_EmptyPrompt_ThrowsNamingTheSequence()
    {
        var error = Assert.Throws<ArgumentException>(() => CompletionBatch.Create([new CompletionSequence([1], [2]), new CompletionSequence([], [2])], CPU));
        Assert.Contains("Sequence 1 has an empty prompt", error.Message, StringComparison.Ordinal);
    }
}
