using System.CommandLine;
using MetaRewarding.Worker.Cli;

namespace MetaRewarding.Worker.Tests;

/// <summary>The plan verb end to end: the table, the exit code, the fix, and bad input.</summary>
public sealed class PlanCommandTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "mr-plan-" + Guid.NewGuid().ToString("N"));

    public PlanCommandTests() => Directory.CreateDirectory(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Plan_PapersRunOn8BFullFineTuning_DoesNotFitAndNamesTheFix()
    {
        var (code, output, _) = Run("--preset", "llama-3-8b", "--device-memory", "141GiB");

        Assert.Equal(PlanCommand.ExitDoesNotFit, code);
        Assert.Contains("model: 8.03B parameters, bfloat16; device memory 141.0 GiB", output, StringComparison.Ordinal);
        Assert.Contains("| 1 | DPO training | 2 × 16 × ", output, StringComparison.Ordinal);
        Assert.Contains("set iterations[0].dpo.gradientCheckpointing: true and lower Worker:TrainingMicroBatchSize to 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_CheckpointingAndMicroBatchOne_Fits()
    {
        var config = Path.Combine(root, "run.json");
        File.WriteAllText(config, """{ "iterations": [ { "dpo": { "gradientCheckpointing": true } }, { "trainsJudge": false, "dpo": { "lora": {}, "gradientCheckpointing": true } } ] }""");

        var (code, output, error) = Run("--preset", "llama-3-8b", "--config", config, "--micro-batch", "1");

        Assert.True(code == PlanCommand.ExitFits, output + error);
        Assert.Contains("full, checkpointed | ", output, StringComparison.Ordinal);
        Assert.Contains("LoRA r16, checkpointed | ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("| NO |", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--preset", "llama-9", "--preset must be one of llama-3-8b")]
    [InlineData("--device-memory", "lots", "is not a size")]
    [InlineData("--model", "/nonexistent/model", "Model config not found")]
    public void Plan_BadInput_ExitsTwoNamingTheProblem(string option, string value, string message)
    {
        var args = option == "--device-memory" ? new[] { "--preset", "llama-3-8b", option, value } : [option, value];
        var (code, _, error) = Run(args);

        Assert.Equal(PlanCommand.ExitBadInput, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = new RootCommand { PlanCommand.Create() }.Parse(["plan", .. args]).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }
}
