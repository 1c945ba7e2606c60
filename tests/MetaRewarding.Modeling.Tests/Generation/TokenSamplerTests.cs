using MetaRewarding.Modeling.Generation;
using MetaRewarding.Modeling.Native;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Tests.Generation;

/// <summary>Sampling arithmetic on a hand-made distribution p = [0.5, 0.3, 0.2] (uniform u picks by inverse CDF).</summary>
public class TokenSamplerTests
{
    private static readonly float[] Probabilities = [0.5f, 0.3f, 0.2f];
    private static readonly long[] Shape = [1, 3];

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
}
