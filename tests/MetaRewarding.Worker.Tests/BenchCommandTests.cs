using MetaRewarding.Worker.Cli.Bench;

namespace MetaRewarding.Worker.Tests;

public class BenchCommandTests
{
    [Theory]
    [InlineData("train")]
    [InlineData("generate")]
    public void Execute_TinyRun_ReportsThroughputOfTheDocumentedModel(string mode)
    {
        var result = BenchCommand.Execute(new BenchSettings("3m", mode, Batch: 2, Seq: 8, Prompt: 4, NewTokens: 3, Warmup: 0, Repeats: 2, Threads: 2));

        // bench_reference_torch.py's "3m" model has 3,421,952 parameters: the two sides must benchmark the same model.
        Assert.Equal(3_421_952, result["parameters"]!.GetValue<long>());
        Assert.Equal(2, result["times_s"]!.AsArray().Count);
        Assert.True(result["tokens_per_s"]!.GetValue<double>() > 0);
        Assert.True(result["peak_rss_mb"]!.GetValue<double>() > 0);
    }

    [Fact]
    public void ConfigFor_UnknownSize_NamesTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchCommand.ConfigFor("7b"));
        Assert.Contains("3m or 100m", error.Message, StringComparison.Ordinal);
    }
}
