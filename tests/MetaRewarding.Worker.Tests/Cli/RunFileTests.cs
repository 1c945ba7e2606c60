using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Worker.Runs;

namespace MetaRewarding.Worker.Tests.Cli;

/// <summary>Run files: a configuration plus what the run works on, with paths relative to the file.</summary>
public sealed class RunFileTests
{
    [Fact]
    public void Parse_RealRun_ResolvesEveryRelativePathAgainstTheBaseFolder()
    {
        var file = RunFile.Parse("""
            {
              "baseModel": "models/m0", "prompts": "/abs/prompts.jsonl", "judgeMode": "model",
              "templates": { "judge": "templates/judge.txt" },
              "seedSft": { "dataset": "eft.jsonl" },
              "taskQueues": { "cpu": "c", "gpu": "g" },
              "iterations": [ {} ],
            }
            """, "run.json", "/base");

        Assert.Equal("/base/models/m0", file.BaseModel);
        Assert.Equal("/abs/prompts.jsonl", file.Prompts);
        Assert.Equal("/base/templates/judge.txt", file.Configuration.Templates.Judge);
        Assert.Null(file.Configuration.Templates.Actor);
        Assert.Equal("/base/eft.jsonl", file.Configuration.SeedSft!.Dataset);
        Assert.Equal(new TaskQueues { Cpu = "c", Gpu = "g" }, file.ToRunInput("r").TaskQueues);
        Assert.Single(file.Configuration.Iterations);
    }

    [Fact]
    public void Parse_SandboxRun_ReadsSandboxOptionsAndJudgeMode()
    {
        var file = RunFile.Parse("""{ "sandbox": { "taskFamily": "reverse", "sftSteps": 5 }, "judgeMode": "oracle" }""", "run.json", "/base");

        Assert.Equal(("reverse", 5), (file.Sandbox!.TaskFamily, file.Sandbox.SftSteps));
        Assert.Equal(JudgeMode.Oracle, file.JudgeMode);
        Assert.Equal(RunConfiguration.Paper.Iterations.Count, file.Configuration.Iterations.Count);
        Assert.Equal(new TaskQueues(), file.ToRunInput("r").TaskQueues);
    }

    [Theory]
    [InlineData("""{ "judgeMode": "referee" }""", "judgeMode")]
    [InlineData("""{ "sandbox": { "layerz": 3 } }""", "sandbox")]
    [InlineData("""[1, 2]""", "JSON object")]
    [InlineData("""{ "seed": """, "not valid JSON")]
    public void Parse_BadField_ThrowsNamingIt(string json, string expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => RunFile.Parse(json, "run.json", "/base"));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("run.json", e.Message, StringComparison.Ordinal);
    }
}
