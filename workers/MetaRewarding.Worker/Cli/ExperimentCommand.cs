using System.CommandLine;
using MetaRewarding.Worker.Experiments;
using MetaRewarding.Worker.Runs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding experiment [--config RUN.json] [--seeds 3] [--arms a,b] [--seed-model DIR | --train-seed] [--report-only ID] [--out DIR] [--ui-port 8233]</c>: every
/// control of docs/SANDBOX.md ("Controls") from one shared seed model, over several loop seeds, as real run
/// workflows; writes <c>DIR/experiments/{id}/experiment.json</c> with its table and plots (interval bands). Without
/// <c>--config</c> it runs the demo's run file. The seed model is, in order: <c>--seed-model</c>; trained here with
/// <c>--train-seed</c>; the demo's shipped seed while it fits the run file (<see cref="ShippedSeed"/>); else trained
/// here. Like <c>demo</c>'s, its in-process server keeps its state in <c>DIR/temporal.db</c>: the same command
/// (same <c>--arms</c> and <c>--seeds</c>) after a stop or crash continues the experiment's unfinished runs. Exit
/// codes as <c>demo</c>'s.
/// </summary>
internal static class ExperimentCommand
{
    /// <summary>How experiment ids begin (experiment-{UTC time}); an experiment run again continues the open runs of this prefix.</summary>
    public const string IdPrefix = "experiment-";

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Run file (default: the demo's embedded demo.run.json).", HelpName = "RUN.json" };
        var seeds = new Option<int>("--seeds") { Description = "Loop seeds: the run file's seed and the next ones (default 3).", DefaultValueFactory = _ => 3, HelpName = "N" };
        var arms = new Option<string?>("--arms") { Description = $"Arms to run, comma-separated (default all: {string.Join(", ", Arms.All.Select(a => a.Name))}).", HelpName = "LIST" };
        var seedModel = new Option<string?>("--seed-model") { Description = "Start every run from this model folder (e.g. a demo's runs/ID/seed/model) instead of the shipped or a trained seed.", HelpName = "DIR" };
        var trainSeed = new Option<bool>("--train-seed") { Description = "Train the seed model here instead of starting from the one shipped with the demo (used only while it fits the run file)." };
        var reportOnly = new Option<string?>("--report-only") { Description = "Write the report of experiment ID from the runs' reports in the store (finished or not) and start nothing; --arms and --seeds must match that experiment's.", HelpName = "ID" };
        var output = new Option<string?>("--out") { Description = "Artifact store root (default: the current folder).", HelpName = "DIR" };
        var uiPort = new Option<int?>("--ui-port") { Description = "Port of the in-process server's Temporal Web UI on localhost (default 8233; 0 picks a free one).", HelpName = "PORT" };
        var modelSlots = ExperimentSession.ModelSlotsOption();
        var connection = new ConnectionOptions();
        var command = new Command("experiment", "Run every control arm from one seed model over several loop seeds and write the experiment report (JSON, table, plots). Exit codes: 0 completed, 1 failed, 2 invalid run file or options.");
        command.Options.Add(config);
        command.Options.Add(seeds);
        command.Options.Add(arms);
        command.Options.Add(seedModel);
        command.Options.Add(trainSeed);
        command.Options.Add(reportOnly);
        command.Options.Add(output);
        command.Options.Add(uiPort);
        command.Options.Add(modelSlots);
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var stderr = parse.InvocationConfiguration.Error;
            var store = Path.GetFullPath(parse.GetValue(output) ?? ".");
            RunFile runFile;
            IReadOnlyList<Arm> chosen;
            try
            {
                runFile = parse.GetValue(config) is { } path ? RunFile.Load(path) : DemoCommand.DemoRunFile(store);
                chosen = parse.GetValue(arms) is { } list ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Arms.Get)] : Arms.All;
                if (parse.GetValue(seeds) < 1)
                {
                    throw new ArgumentException($"--seeds must be >= 1, got {parse.GetValue(seeds)}");
                }
            }
            catch (Exception e) when (e is Alignment.Configuration.ConfigurationException or ArgumentException)
            {
                await stderr.WriteLineAsync(e.Message);
                return ExperimentSession.ExitInvalidRunFile;
            }

            var loopSeeds = Enumerable.Range(0, parse.GetValue(seeds)).Select(i => runFile.Configuration.Seed + i).ToList();
            if (parse.GetValue(reportOnly) is { } existing)
            {
                var plan = ExperimentPlan.Create(existing, runFile, chosen, loopSeeds, new Activities.Contracts.TaskQueues());
                var report = ExperimentReportBuilder.Build(plan, [.. plan.Runs.Select(r => new ArmResult(r, null, null))], r => ExperimentReportWriter.ReadRunReport(r, store), runFile);
                var path = ExperimentReportWriter.Write(report, store);
                await parse.InvocationConfiguration.Output.WriteAsync(ExperimentTable.Render(report) + $"Report: {path}\n");
                return ExperimentSession.ExitCompleted;
            }

            var configuration = connection.Configuration(parse, [.. ExperimentSession.DurableSettings(store, parse.GetValue(uiPort), parse.GetValue(modelSlots))]);
            var stdout = parse.InvocationConfiguration.Output;
            var startFrom = parse.GetValue(seedModel)
                ?? (parse.GetValue(trainSeed) ? null : DemoCommand.ShippedSeedFor(runFile, store, ShippedSeed.DefaultFolder, stdout));
            return await RunAsync(runFile, chosen, loopSeeds, configuration, stdout, stderr, null, Environment.GetEnvironmentVariable("PATH"), ct, startFrom);
        });
        return command;
    }

    /// <summary>
    /// Runs <paramref name="arms"/> over <paramref name="loopSeeds"/> as a new experiment, or continues the one whose
    /// runs of these arms and seeds the server still has open. Tests pass activity doubles through
    /// <paramref name="services"/> and an empty <paramref name="pathVariable"/> (the in-process server on any machine).
    /// </summary>
    public static Task<int> RunAsync(
        RunFile runFile, IReadOnlyList<Arm> arms, IReadOnlyList<long> loopSeeds, IConfiguration configuration, TextWriter stdout, TextWriter stderr,
        Action<IServiceCollection>? services, string? pathVariable, CancellationToken ct, string? seedModel = null)
    {
        var id = RunStarter.DefaultId(DateTime.UtcNow).Replace("metarewarding-", IdPrefix, StringComparison.Ordinal);
        return ExperimentSession.RunAsync(id, runFile, arms, loopSeeds, configuration, stdout, stderr, services, ct, seedModel, pathVariable, resumePrefix: IdPrefix);
    }
}
