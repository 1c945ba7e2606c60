using System.CommandLine;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Reports;
using MetaRewarding.Worker.Hosting;
using MetaRewarding.Worker.Runs;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding report --run DIR | --id ID [--out DIR]</c>: prints the run's metrics table and writes its
/// plots. From a run folder (<c>{artifacts}/runs/{id}</c>, where the WriteReport activity keeps
/// <c>report.json</c>): reads that report and (re)draws <c>plots/*.png</c> next to it. From a workflow id: builds
/// the report from the finished run's result (the same code as the WriteReport activity), and writes
/// <c>report.json</c> and <c>plots/*.png</c> to <c>--out</c> (default <c>./runs/{ID}</c>).
/// Exit codes: 0 written; 1 the run has no report (not finished, failed, or no report.json); 2 bad arguments.
/// </summary>
internal static class ReportCommand
{
    public const int ExitWritten = 0;
    public const int ExitNoReport = 1;
    public const int ExitUsage = 2;

    public static Command Create()
    {
        var run = new Option<string?>("--run") { Description = "Run folder holding report.json ({artifacts}/runs/{id}).", HelpName = "DIR" };
        var id = new Option<string?>("--id") { Description = "Workflow id of a finished run (its result is fetched from Temporal).", HelpName = "ID" };
        var output = new Option<string?>("--out") { Description = "With --id: folder for report.json and plots/ (default ./runs/{ID}).", HelpName = "DIR" };
        var connection = new ConnectionOptions();
        var command = new Command("report", "Print a run's metrics table and write report.json and PNG plots. Exit codes: 0 written, 1 no report, 2 bad arguments.");
        command.Options.Add(run);
        command.Options.Add(id);
        command.Options.Add(output);
        connection.AddTo(command);
        command.SetAction(async (parse, _) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            return (parse.GetValue(run), parse.GetValue(id)) switch
            {
                ({ } folder, null) => FromRunFolder(folder, stdout, stderr),
                (null, { } workflowId) => await FromWorkflowAsync(
                    workflowId, parse.GetValue(output) ?? Path.Combine("runs", workflowId), MetaRewardingConfiguration.Temporal(connection.Configuration(parse)), stdout, stderr),
                _ => Usage(stderr),
            };
        });
        return command;
    }

    private static int Usage(TextWriter stderr)
    {
        stderr.WriteLine("give exactly one of --run DIR (a run folder with report.json) or --id ID (a finished run's workflow id)");
        return ExitUsage;
    }

    /// <summary>Prints the table of <c>{folder}/report.json</c> and redraws its plots into <c>{folder}/plots</c>.</summary>
    public static int FromRunFolder(string folder, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var path = Path.Combine(folder, RunReportWriter.FileName);
        if (!File.Exists(path))
        {
            stderr.WriteLine($"{Path.GetFullPath(path)} does not exist: --run takes a run folder ({{artifacts}}/runs/{{id}}) after its first WriteReport activity");
            return ExitNoReport;
        }

        RunReport report;
        try
        {
            report = RunReportJson.Read(path);
        }
        catch (InvalidDataException e)
        {
            stderr.WriteLine(e.Message);
            return ExitNoReport;
        }

        var plots = WritePlots(report, folder);
        stdout.Write(ReportTable.Render(report));
        stdout.WriteLine($"Report: {Path.GetFullPath(path)}; {plots} plots in {Path.GetFullPath(Path.Combine(folder, "plots"))}");
        return ExitWritten;
    }

    private static async Task<int> FromWorkflowAsync(string workflowId, string folder, TemporalSettings temporal, TextWriter stdout, TextWriter stderr)
    {
        var address = ConnectionOptions.ClientAddress(temporal);
        RunSummary summary;
        RunInput input;
        try
        {
            var client = await TemporalClientFactory.ConnectAsync(address, temporal);
            var handle = client.GetWorkflowHandle(workflowId);
            var history = await handle.FetchHistoryAsync();
            var started = history.Events.First().WorkflowExecutionStartedEventAttributes
                ?? throw new InvalidOperationException($"the history of '{workflowId}' does not start with WorkflowExecutionStarted");
            input = client.Options.DataConverter.PayloadConverter.ToValue<RunInput>(started.Input.Payloads_[0]);
            summary = await RunProgressReader.ResultAsync(client, workflowId);
        }
        catch (WorkflowFailedException e)
        {
            await stderr.WriteLineAsync($"run '{workflowId}' did not complete, so it has no result to report: {StatusCommand.Causes(e)}. Its partial report is in its run folder: metarewarding report --run {{artifacts}}/runs/{workflowId}");
            return ExitNoReport;
        }
        catch (Exception e) when (e is TemporalException or InvalidOperationException)
        {
            await stderr.WriteLineAsync($"cannot fetch run '{workflowId}' from {address}: {e.Message}");
            return ExitNoReport;
        }

        // The builder reads only the evaluations and iteration summaries; ReportInput.Run (run.json) is not needed.
        var report = RunReportBuilder.Build(
            new ReportInput(summary.RunId, summary.Report, summary.SeedEvaluation, summary.Iterations), input.Configuration.LengthUnit, summary.SeedModel);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, RunReportWriter.FileName);
        await File.WriteAllTextAsync(path, RunReportJson.Serialize(report));
        var plots = WritePlots(report, folder);
        await stdout.WriteAsync(ReportTable.Render(report));
        await stdout.WriteLineAsync($"Report: {Path.GetFullPath(path)}; {plots} plots in {Path.GetFullPath(Path.Combine(folder, "plots"))}");
        return ExitWritten;
    }

    private static int WritePlots(RunReport report, string folder)
    {
        var plots = Path.Combine(folder, "plots");
        Directory.CreateDirectory(plots);
        var count = 0;
        foreach (var (fileName, png) in ReportPlots.Render(report))
        {
            File.WriteAllBytes(Path.Combine(plots, fileName), png);
            count++;
        }

        return count;
    }
}
