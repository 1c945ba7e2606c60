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

    [Theory]
    [InlineData("actor", 7, 0)]
    [InlineData("judge", 11, 10)]
    [InlineData("meta-judge", 22, 21)]
    public void Execute_WorkloadShape_ComparesStaticAndContinuousOnTheSameRequests(string mode, int requests, int reusingRequests)
    {
        var result = BenchCommand.Execute(new BenchSettings("3m", mode, Batch: 4, Seq: 8, Prompt: 10, NewTokens: 12, Warmup: 0, Repeats: 1, Threads: 2) { Groups = 1 });

        Assert.Equal(requests, result["requests"]!.GetValue<int>());
        Assert.True(result["static_tokens_per_s"]!.GetValue<double>() > 0);
        Assert.True(result["ratio_wall"]!.GetValue<double>() > 0);
        // One group shares its prompt's common part (all of it but the last token for the actor and judge; the part
        // before the two judgments, at least, for the meta-judge): every request after the first reuses it.
        var shared = mode == "meta-judge" ? 8 * 10 : (mode == "judge" ? 8 * 10 : 10) - 1;
        Assert.True(result["reused_prefix_tokens"]!.GetValue<long>() >= (long)reusingRequests * shared);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(4, true)]
    public void Execute_Dpo_TrainsTheRightParametersAndReportsPlanBesideMeasurement(int loraRank, bool checkpointing)
    {
        var result = BenchCommand.Execute(new BenchSettings("3m", "dpo", Batch: 2, Seq: 16, Prompt: 4, NewTokens: 3, Warmup: 0, Repeats: 1, Threads: 2)
        {
            Dtype = "bfloat16", LoraRank = loraRank, Checkpointing = checkpointing,
        });

        // LoRA rank 4 on the seven projections of 3 layers (hidden 256, intermediate 688): 4 · Σ(in + out) per layer.
        long expected = loraRank == 0 ? 3_421_952 : 3L * 4 * ((4 * (256 + 256)) + (2 * (256 + 688)) + (688 + 256));
        Assert.Equal(expected, result["trainable_parameters"]!.GetValue<long>());
        // Both fields are printed rounded (seconds to 4 decimals, tokens/s to 1): on a ~0.08 s step that is up to
        // ~0.1% apart, so 0.5% tells a wrong token count from rounding.
        var tokensPerSecond = 2 * 2 * 16 / result["median_s"]!.GetValue<double>();
        Assert.InRange(result["tokens_per_s"]!.GetValue<double>(), tokensPerSecond * 0.995, tokensPerSecond * 1.005);
        Assert.True(result["plan_training_mb"]!.GetValue<double>() > 0);
        Assert.True(result["matmul_peak_gflops"]!.GetValue<double>() > 0);
    }

    [Fact]
    public void Execute_Openai_ReportsEachConcurrencyOverRealHttp()
    {
        var result = BenchCommand.Execute(new BenchSettings("3m", "openai", Batch: 8, Seq: 8, Prompt: 4, NewTokens: 3, Warmup: 0, Repeats: 1, Threads: 2) { Groups = 1 });

        Assert.Equal(8, result["requests"]!.GetValue<int>());
        foreach (var concurrency in new[] { "c1", "c8", "c32" })
        {
            Assert.True(result[concurrency]!["requests_per_s"]!.GetValue<double>() > 0, concurrency);
            Assert.True(result[concurrency]!["tokens_per_s"]!.GetValue<double>() > 0, concurrency);
        }

        // Every request made exactly its new tokens (the bench checks serve's usage); serve never decodes more rows than --batch.
        Assert.InRange(result["peak_rows"]!.GetValue<int>(), 1, 8);
    }

    [Fact]
    public void ConfigFor_UnknownSize_NamesTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchCommand.ConfigFor("7b"));
        Assert.Contains("3m, 100m or llama-3-8b", error.Message, StringComparison.Ordinal);
    }
}
