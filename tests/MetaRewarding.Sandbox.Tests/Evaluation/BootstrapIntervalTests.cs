using MetaRewarding.Sandbox.Evaluation;

namespace MetaRewarding.Sandbox.Tests.Evaluation;

public class BootstrapIntervalTests
{
    [Fact]
    public void Of_ConstantValues_IsThePoint()
    {
        Assert.Equal((0.25, 0.25), BootstrapInterval.Of([0.25, 0.25, 0.25]));
    }

    [Fact]
    public void Of_HalfCorrectOverAThousandTasks_MatchesTheNormalInterval()
    {
        // 1,000 tasks, half right: the normal 95% half-width is 1.96 * sqrt(0.25 / 1000) = 0.031. With 2,000
        // resamples the percentiles wobble by ~0.002; 0.006 is allowed.
        var values = Enumerable.Range(0, 1000).Select(i => i % 2 == 0 ? 1.0 : 0.0).ToList();
        var (low, high) = BootstrapInterval.Of(values);
        Assert.InRange(low, 0.469 - 0.006, 0.469 + 0.006);
        Assert.InRange(high, 0.531 - 0.006, 0.531 + 0.006);
        Assert.Equal((low, high), BootstrapInterval.Of(values));
    }

    [Fact]
    public void Of_Nothing_Throws() => Assert.Throws<ArgumentException>(() => BootstrapInterval.Of([]));
}
