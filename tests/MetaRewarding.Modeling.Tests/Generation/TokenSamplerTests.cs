using MetaRewarding.Modeling.Generation;
using MetaRewarding.Modeling.Native;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Generation;

/// <summary>Sampling arithmetic on a hand-made distribution p = [0.5, 0.3, 0.2] (uniform u picks by inverse CDF).</summary>
public class TokenSamplerTests
{
    private static readonly float[] Probabilities = [0.5f, 0.3f, 0.2f];
    private static readonly long[] Shape = [1, 3];
    private static readonly float[] UnsortedProbabilities = [0.2f, 0.5f, 0.3f];

    public TokenSamplerTests() => TorchRuntime.Initialize();

    [Theory]
    [InlineData(0.10, 1.0, 0, 0)] // cumulative [0.5, 0.8, 1.0]: u < 0.5 -> token 0
    [InlineData(0.60, 1.0, 0, 1)]
    [InlineData(0.95, 1.0, 0, 2)]
    [InlineData(0.99, 0.45, 0, 0)] // top-p 0.45: token 0 alone reaches it, the rest are dropped
    [InlineData(0.99, 0.6, 0, 1)] // top-p 0.6: tokens 0 and 1 stay, renormalised to [0.625, 0.375]
    [InlineData(0.70, 0.6, 0, 1)]
    [InlineData(0.60, 0.6, 0, 0)]
    [InlineData(0.99, 1.0, 2, 1)] // top-k 2: token 2 is out
    [InlineData(0.99, 1.0, 1, 0)]
    public void Next_KnownDistribution_PicksByInverseCdf(double u, double topP, int topK, long expected)
    {
        using var logits = tensor(Probabilities.Select(p => MathF.Log(p)).ToArray(), Shape);
        using var uniforms = tensor((float)u).reshape(1);

        using var next = TokenSampler.Next(logits, new GenerationOptions { TopP = topP, TopK = topK }, uniforms);

        Assert.Equal(expected, next.item<long>());
    }

    [Fact]
    public void Next_Temperature_SharpensTheDistribution()
    {
        // At temperature 0.25, p ∝ [0.5^4, 0.3^4, 0.2^4] = [0.0625, 0.0081, 0.0016]: token 0 has ~90% of the mass.
        using var logits = tensor(Probabilities.Select(p => MathF.Log(p)).ToArray(), Shape);
        using var uniforms = tensor(0.85f).reshape(1);

        using var cold = TokenSampler.Next(logits, new GenerationOptions { Temperature = 0.25 }, uniforms);
        using var warm = TokenSampler.Next(logits, new GenerationOptions { Temperature = 1.0 }, uniforms);

        Assert.Equal(0, cold.item<long>());
        Assert.Equal(2, warm.item<long>());
    }

    [Theory]
    [InlineData(0.10, 0)] // p = [0.2, 0.5, 0.3] in vocabulary order: cumulative [0.2, 0.7, 1.0]
    [InlineData(0.60, 1)]
    [InlineData(0.95, 2)]
    public void Next_PlainTemperatureSampling_InvertsTheCdfInVocabularyOrderWithoutSorting(double u, long expected)
    {
        using var logits = tensor(UnsortedProbabilities.Select(p => MathF.Log(p)).ToArray(), Shape);
        using var uniforms = tensor((float)u).reshape(1);

        using var next = TokenSampler.Next(logits, new GenerationOptions(), uniforms);

        Assert.Equal(expected, next.item<long>());
    }

    /// <summary>
    /// Rows of 4,096 logits, peaked (a nucleus of a few tokens, found among the first candidates) or flat (a nucleus
    /// wider than <see cref="TokenSampler.NucleusCandidates"/>, so the whole vocabulary is sorted): every drawn token
    /// is kept by top-p and its cumulative interval, in a double-precision reference (sorted order for top-p, vocabulary
    /// order without it), holds u × the kept mass. Tolerance 1e-5: fp32 cumulative sums over 4,096 terms drift ~1e-6.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Next_RandomRows_DrawWhatTheReferenceInverseCdfDraws(int seed)
    {
        var random = new Random(seed);
        const int vocab = 4096;
        foreach (var (scale, topP) in new[] { (4.0, 0.95), (4.0, 0.5), (0.01, 0.95), (1.0, 1.0), (0.01, 1.0) })
        {
            var rows = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, vocab).Select(_ => (float)(scale * NextGaussian(random))).ToArray()).ToArray();
            var u = rows.Select(_ => (float)random.NextDouble()).ToArray();
            using var logits = tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, vocab]);
            using var uniforms = tensor(u);

            using var next = TokenSampler.Next(logits, new GenerationOptions { TopP = topP }, uniforms);

            var chosen = next.data<long>().ToArray();
            for (var r = 0; r < rows.Length; r++)
            {
                var (order, kept) = Reference(rows[r], topP);
                var position = Array.IndexOf(order, (int)chosen[r]);
                Assert.True(position >= 0 && kept[position] > 0, $"scale {scale}, top-p {topP}: token {chosen[r]} is outside the nucleus");
                var total = kept.Sum();
                var below = kept.Take(position).Sum();
                Assert.InRange(u[r] * total, below - 1e-5, below + kept[position] + 1e-5);
            }
        }
    }

    /// <summary>Tokens in the order the inverse CDF walks them and their kept probabilities (double precision).</summary>
    private static (int[] Order, double[] Kept) Reference(float[] logits, double topP)
    {
        var max = logits.Max();
        var weights = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = weights.Sum();
        var order = Enumerable.Range(0, logits.Length).ToArray();
        if (topP < 1.0)
        {
            order = [.. order.OrderByDescending(i => logits[i])];
        }

        var kept = new double[order.Length];
        var before = 0.0;
        for (var j = 0; j < order.Length; j++)
        {
            var p = weights[order[j]] / sum;
            kept[j] = before >= topP ? 0 : p;
            before += p;
        }

        return (order, kept);
    }

    private static double NextGaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
