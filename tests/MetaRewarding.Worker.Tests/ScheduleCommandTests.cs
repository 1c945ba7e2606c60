using System.Text.Json.Nodes;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Worker.Cli;

namespace MetaRewarding.Worker.Tests;

/// <summary>The <c>schedule</c> verb, invoked in-process with captured stdout/stderr.</summary>
public sealed class ScheduleCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("schedule-verb-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Run_Json_PrintsThePapersPlanWithTheContractFieldNames()
    {
        var (code, stdout, stderr) = Run("--json");

        Assert.Equal(ScheduleCommand.ExitValid, code);
        Assert.Empty(stderr);
        var iterations = JsonNode.Parse(stdout)!["iterations"]!.AsArray();
        Assert.Equal([1, 2, 3, 4], iterations.Select(i => i!["index"]!.GetValue<int>()));
        Assert.Equal([true, true, false, false], iterations.Select(i => i!["trainsJudge"]!.GetValue<bool>()));
        Assert.Equal([0.0, 0.32, 0.32, 0.4], iterations.Select(i => i!["rho"]!.GetValue<double>()));
        Assert.All(iterations, i =>
        {
            Assert.Equal(7, i!["responsesPerPrompt"]!.GetValue<int>());
            Assert.Equal(11, i["judgmentsPerResponse"]!.GetValue<int>());
        });
        Assert.Equal(110, iterations[0]!["metaJudgeCallsPerPrompt"]!.GetValue<int>());
        Assert.Equal(0, iterations[2]!["metaJudgeCallsPerPrompt"]!.GetValue<int>());
        Assert.Equal(2500, iterations[0]!["chosenResponseMaxLength"]!.GetValue<int>());
        Assert.Equal(1000, iterations[1]!["chosenJudgmentMaxLength"]!.GetValue<int>());
    }

    [Fact]
    public void Run_NoOptions_PrintsAReadableTable()
    {
        var (code, stdout, _) = Run();

        Assert.Equal(ScheduleCommand.ExitValid, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("Configuration is valid", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("iter", lines[1], StringComparison.Ordinal);
        Assert.Equal(6, lines.Length);
        Assert.Matches(@"^1\s+actor\+judge\s+0\s+5000\s+7\s+11\s+110\s+2500\s+1100\s", lines[2]);
        Assert.Matches(@"^4\s+actor\s+0\.4\s", lines[5]);
    }

    [Fact]
    public void Run_ConfigFile_PlansItsIterations()
    {
        var path = Write("run.json", """
            {
              // two short iterations
              "iterations": [
                { "trainsJudge": true, "judgmentsPerResponse": 4, "actorPairs": { "rho": 0.25 } },
                { "responsesPerPrompt": 3 },
              ],
            }
            """);

        var (code, stdout, stderr) = Run("--config", path, "--json");

        Assert.True(code == ScheduleCommand.ExitValid, stderr);
        var iterations = JsonNode.Parse(stdout)!["iterations"]!.AsArray();
        Assert.Equal(2, iterations.Count);
        Assert.Equal(0.25, iterations[0]!["rho"]!.GetValue<double>());
        Assert.Equal(12, iterations[0]!["metaJudgeCallsPerPrompt"]!.GetValue<int>());
        Assert.Equal(3, iterations[1]!["responsesPerPrompt"]!.GetValue<int>());
    }

    [Fact]
    public void Run_InvalidConfig_PrintsEveryErrorToStderrAndExits2()
    {
        var path = Write("bad.json", """
            { "shardSize": 0, "iterations": [ { "actorPairs": { "rho": 0.2 } }, { "actorPairs": { "rho": 1.3 }, "dpo": { "beta": 0 } } ] }
            """);

        var (code, stdout, stderr) = Run("--config", path, "--json");

        Assert.Equal(ScheduleCommand.ExitInvalidConfiguration, code);
        Assert.Empty(stdout);
        Assert.Equal(
            ["shardSize must be >= 1, got 0", "iterations[1].actorPairs.rho must be in [0, 0.5], got 1.3", "iterations[1].dpo.beta must be a finite number > 0, got 0"],
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Run_UnknownField_NamesItAndExits2()
    {
        var path = Write("typo.json", """{ "iterations": [ { "trainJudge": true } ] }""");

        var (code, stdout, stderr) = Run("--config", path);

        Assert.Equal(ScheduleCommand.ExitInvalidConfiguration, code);
        Assert.Empty(stdout);
        Assert.Contains("unknown field 'trainJudge' at $.iterations[0].trainJudge", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TemplateMissingPlaceholder_IsAValidationError()
    {
        Write("judge.txt", "Rate this: {prompt}");
        var path = Write("run.json", """{ "templates": { "judge": "judge.txt" } }""");

        var (code, stdout, stderr) = Run("--config", path);

        Assert.Equal(ScheduleCommand.ExitInvalidConfiguration, code);
        Assert.Empty(stdout);
        Assert.Contains("templates.judge: required placeholder {response} is missing", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingFile_SaysSoAndExits2()
    {
        var (code, stdout, stderr) = Run("--config", Path.Combine(_folder, "nope.json"));

        Assert.Equal(ScheduleCommand.ExitInvalidConfiguration, code);
        Assert.Empty(stdout);
        Assert.Contains("nope.json' does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Init_WritesThePapersConfigurationOnce()
    {
        var path = Path.Combine(_folder, "new.json");

        var (code, stdout, _) = Run("--init", path);
        var (again, _, stderr) = Run("--init", path);
        var (check, _, _) = Run("--config", path);

        Assert.Equal(ScheduleCommand.ExitValid, code);
        Assert.Contains("wrote", stdout, StringComparison.Ordinal);
        Assert.Equal(RunConfigurationJson.Serialize(RunConfiguration.Paper), RunConfigurationJson.Serialize(RunConfigurationJson.Load(path)));
        Assert.Equal(ScheduleCommand.ExitCannotWrite, again);
        Assert.Contains("already exists", stderr, StringComparison.Ordinal);
        Assert.Equal(ScheduleCommand.ExitValid, check);
    }

    [Fact]
    public void CreateRoot_RegistersTheScheduleVerb()
    {
        Assert.Contains(CliVerbs.CreateRoot().Subcommands, c => c.Name == "schedule");
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = ScheduleCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
