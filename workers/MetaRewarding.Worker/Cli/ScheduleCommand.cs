using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding schedule [--config FILE] [--json] [--init FILE]</c>: validates a run configuration (default:
/// the paper's) and prints its iteration plan, as a table or as JSON; <c>--init FILE</c> writes the paper's
/// configuration to FILE as a template to edit.
/// Exit codes: 0 valid (or template written); 1 the template file could not be written (it exists, or I/O);
/// 2 the configuration is invalid or unreadable (missing file, bad JSON, failed validation): every error is
/// printed to stderr, one per line, and nothing to stdout.
/// </summary>
internal static class ScheduleCommand
{
    public const int ExitValid = 0;
    public const int ExitCannotWrite = 1;
    public const int ExitInvalidConfiguration = 2;

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Run configuration JSON file (default: the paper's schedule).", HelpName = "FILE" };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON: {\"iterations\":[{\"index\":1,\"trainsJudge\":true,...}]}." };
        var init = new Option<string?>("--init") { Description = "Write the paper's configuration to FILE (a template to edit) and exit; never overwrites.", HelpName = "FILE" };
        var command = new Command(
            "schedule",
            "Validate a run configuration and print its iteration plan. Exit codes: 0 valid, 1 --init could not write, 2 invalid configuration (errors on stderr).");
        command.Options.Add(config);
        command.Options.Add(json);
        command.Options.Add(init);
        command.SetAction(parseResult => Execute(
            parseResult.GetValue(config),
            parseResult.GetValue(json),
            parseResult.GetValue(init),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Runs the verb in-process with the given arguments (those after <c>schedule</c>) and writers.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("schedule only") { Create() };
        return root.Parse(["schedule", .. args]).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static int Execute(string? configPath, bool asJson, string? initPath, TextWriter stdout, TextWriter stderr)
    {
        if (initPath is not null)
        {
            return WriteTemplate(initPath, stdout, stderr);
        }

        RunConfiguration configuration;
        string baseDirectory;
        try
        {
            configuration = configPath is null ? RunConfiguration.Paper : RunConfigurationJson.Load(configPath);
            baseDirectory = configPath is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(configPath))!;
        }
        catch (ConfigurationException e)
        {
            e.Errors.ToList().ForEach(stderr.WriteLine);
            return ExitInvalidConfiguration;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"cannot read configuration file '{configPath}': {e.Message}");
            return ExitInvalidConfiguration;
        }

        var errors = RunConfigurationValidator.Validate(configuration, baseDirectory);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                stderr.WriteLine(error);
            }

            return ExitInvalidConfiguration;
        }

        stdout.Write(asJson ? PlanJson(configuration) : PlanTable(configuration));
        return ExitValid;
    }

    private static int WriteTemplate(string path, TextWriter stdout, TextWriter stderr)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            stderr.WriteLine($"'{full}' already exists; --init never overwrites a file: choose a new path or delete it first");
            return ExitCannotWrite;
        }

        try
        {
            RunConfigurationJson.Save(RunConfiguration.Paper, full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"cannot write '{full}': {e.Message}");
            return ExitCannotWrite;
        }

        stdout.WriteLine($"wrote the paper's run configuration to {full}; edit it and check it with `metarewarding schedule --config {path}`");
        return ExitValid;
    }

    /// <summary>The plan as JSON; field names <c>index</c>, <c>trainsJudge</c>, <c>rho</c>, <c>responsesPerPrompt</c>, <c>judgmentsPerResponse</c> are a contract.</summary>
    internal static string PlanJson(RunConfiguration configuration)
    {
        var iterations = new JsonArray();
        for (var i = 0; i < configuration.Iterations.Count; i++)
        {
            var it = configuration.Iterations[i];
            iterations.Add(new JsonObject
            {
                ["index"] = i + 1,
                ["trainsJudge"] = it.TrainsJudge,
                ["rho"] = it.ActorPairs.Rho,
                ["responsesPerPrompt"] = it.ResponsesPerPrompt,
                ["judgmentsPerResponse"] = it.JudgmentsPerResponse,
                ["prompts"] = it.Prompts,
                ["judgeCallsPerPrompt"] = it.ResponsesPerPrompt * it.JudgmentsPerResponse,
                ["metaJudgeCallsPerPrompt"] = it.TrainsJudge ? it.JudgmentsPerResponse * (it.JudgmentsPerResponse - 1) : 0,
                ["chosenResponseMaxLength"] = it.ActorPairs.ChosenMaxLength,
                ["chosenJudgmentMaxLength"] = it.TrainsJudge ? it.JudgePairs.ChosenMaxLength : null,
                ["minScoreGap"] = it.ActorPairs.MinScoreGap,
                ["actorTemperature"] = it.ActorSampling.Temperature,
                ["actorTopP"] = it.ActorSampling.TopP,
                ["dpoBeta"] = it.Dpo.Beta,
                ["dpoLearningRate"] = it.Dpo.LearningRate,
                ["dpoGlobalBatchSize"] = it.Dpo.GlobalBatchSize,
                ["dpoEpochs"] = it.Dpo.Epochs,
            });
        }

        var plan = new JsonObject
        {
            ["seed"] = configuration.Seed,
            ["lengthUnit"] = JsonNamingPolicy.CamelCase.ConvertName(configuration.LengthUnit.ToString()),
            ["iterations"] = iterations,
        };
        return plan.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }

    /// <summary>The plan as a fixed-width table, one row per iteration.</summary>
    internal static string PlanTable(RunConfiguration configuration)
    {
        var unit = configuration.LengthUnit == LengthUnit.Characters ? "chars" : "tokens";
        string[] header = ["iter", "trains", "rho", "prompts", "K", "N", "meta calls/prompt", $"chosen resp cap ({unit})", $"chosen judg cap ({unit})", "T / top-p", "DPO beta", "lr", "batch"];
        var rows = new List<string[]> { header };
        for (var i = 0; i < configuration.Iterations.Count; i++)
        {
            var it = configuration.Iterations[i];
            rows.Add(
            [
                (i + 1).ToString(CultureInfo.InvariantCulture),
                it.TrainsJudge ? "actor+judge" : "actor",
                Number(it.ActorPairs.Rho),
                it.Prompts.ToString(CultureInfo.InvariantCulture),
                it.ResponsesPerPrompt.ToString(CultureInfo.InvariantCulture),
                it.JudgmentsPerResponse.ToString(CultureInfo.InvariantCulture),
                (it.TrainsJudge ? it.JudgmentsPerResponse * (it.JudgmentsPerResponse - 1) : 0).ToString(CultureInfo.InvariantCulture),
                it.ActorPairs.ChosenMaxLength?.ToString(CultureInfo.InvariantCulture) ?? "-",
                it.TrainsJudge ? it.JudgePairs.ChosenMaxLength?.ToString(CultureInfo.InvariantCulture) ?? "-" : "-",
                $"{Number(it.ActorSampling.Temperature)} / {Number(it.ActorSampling.TopP)}",
                Number(it.Dpo.Beta),
                Number(it.Dpo.LearningRate),
                it.Dpo.GlobalBatchSize.ToString(CultureInfo.InvariantCulture),
            ]);
        }

        var widths = Enumerable.Range(0, header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new System.Text.StringBuilder();
        text.AppendLine($"Run plan: {configuration.Iterations.Count} iterations, seed {configuration.Seed}, lengths in {unit}. Configuration is valid.");
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }

        return text.ToString();
    }

    private static string Number(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
