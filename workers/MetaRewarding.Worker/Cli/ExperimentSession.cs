using System.CommandLine;
using MetaRewarding.Activities.Run;
using MetaRewarding.Worker.Experiments;
using MetaRewarding.Worker.Hosting;
using MetaRewarding.Worker.Runs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// What <c>demo</c> and <c>experiment</c> share: validate the plan, start a Temporal server as
/// <see cref="TemporalServerResolver"/> decides (here: in-process, durable when it has a database file), a worker on
/// both queues in this process, run the plan (<see cref="ExperimentRunner"/>; with a resume prefix, the plan of the
/// runs of that prefix the server still has open, so a demo or an experiment run again continues them), then write the experiment
/// report and print its table. Exit codes: 0 every run completed; 1 a run failed or the server could not start; 2 the
/// run file is invalid.
/// </summary>
internal static class ExperimentSession
{
    public const int ExitCompleted = 0;
    public const int ExitFailed = 1;
    public const int ExitInvalidRunFile = 2;

    /// <summary>The <c>--model-slots</c> option both verbs take.</summary>
    public static Option<int?> ModelSlotsOption() => new("--model-slots")
    {
        Description = "Model activities side by side in this process (default 2, one torch thread each; 1: one at a time on every core).",
        HelpName = "N",
    };

    /// <summary>
    /// The worker's settings for a session on this machine: every queue, the artifact store, and
    /// <paramref name="modelSlots"/> model-activity slots (default 2: two runs' model steps side by side, one torch
    /// thread each; 1 gives one activity every core, which the seed SFT prefers on a busy machine). The console stays
    /// quiet: the worker's own log shows warnings and errors only (the session prints its phases itself).
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> WorkerSettings(string store, int? uiPort, int? modelSlots = null) =>
    [
        new("Worker:Artifacts", store), new("Worker:Queues", "cpu,gpu"),
        new("Worker:ModelActivitySlots", (modelSlots ?? 2).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Temporal:UiPort", uiPort?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Serilog:MinimumLevel:Default", "Warning"),
        new("Serilog:MinimumLevel:Override:Temporalio", "Warning"),
    ];

    /// <summary>
    /// <see cref="WorkerSettings"/> with the in-process server's database in the store (<see cref="DemoCommand.DatabaseFile"/>):
    /// what <c>demo</c> and <c>experiment</c> run with, so either one run again on the same folder continues its runs.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> DurableSettings(string store, int? uiPort, int? modelSlots = null) =>
        [.. WorkerSettings(store, uiPort, modelSlots), new("Temporal:DatabaseFile", DemoCommand.DatabaseFile(store))];

    public static async Task<int> RunAsync(
        string id, RunFile runFile, IReadOnlyList<Arm> arms, IReadOnlyList<long> loopSeeds, IConfiguration configuration,
        TextWriter stdout, TextWriter stderr, Action<IServiceCollection>? services, CancellationToken ct, string? seedModel = null, string? pathVariable = null,
        string? resumePrefix = null)
    {
        ArgumentNullException.ThrowIfNull(runFile);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var settings = MetaRewardingConfiguration.Worker(configuration);
        ExperimentPlan Plan(string experimentId) =>
            ExperimentPlan.Create(experimentId, runFile, arms, loopSeeds, settings.TaskQueues, seedModel is null ? null : Path.GetFullPath(seedModel));
        var plan = Plan(id);
        var errors = plan.Runs.SelectMany(r => RunInputValidator.Validate(r.Input)).Distinct().ToList();
        if (errors.Count > 0)
        {
            errors.ForEach(stderr.WriteLine);
            return ExitInvalidRunFile;
        }

        var temporal = MetaRewardingConfiguration.Temporal(configuration);
        if (configuration["Temporal:LocalPort"] is null or "7233")
        {
            // Any free port: a session must not collide with a `metarewarding worker` or dev server on 7233.
            temporal.LocalPort = 0;
        }

        var choice = TemporalServerResolver.Resolve(temporal, pathVariable ?? Environment.GetEnvironmentVariable("PATH"));
        LocalTemporalServer server;
        try
        {
            server = await LocalTemporalServer.StartAsync(choice, temporal, stderr, ct);
        }
        catch (InvalidOperationException e)
        {
            await stderr.WriteLineAsync($"cannot start a Temporal server: {e.Message}");
            return ExitFailed;
        }

        await using (server)
        {
            var client = await TemporalClientFactory.ConnectAsync(server.Address, temporal);
            await SearchAttributeRegistration.TryRegisterAsync(client, stderr);
            using var host = WorkerHost.Build(configuration, client, services);
            await host.StartAsync(ct);
            try
            {
                var store = Path.GetFullPath(settings.Artifacts);
                var console = new ExperimentConsole(stdout, ExperimentConsole.IsTerminal(stdout));
                console.Text($"Temporal server {server.Address}{(server.UiUrl is { } ui ? $", Web UI {ui}" : "")}; artifacts in {store}\n");
                // A session started again on the same durable server (demo on the same folder) continues its open runs.
                var open = resumePrefix is null ? [] : await OpenRuns.ListAsync(client, resumePrefix);
                if (open.Count > 0 && ExperimentPlan.ExperimentIdOf(open[0], arms, loopSeeds) is { } previous)
                {
                    plan = Plan(previous);
                    console.Text($"continuing {string.Join(" and ", open)} from where they stopped\n");
                }

                console.Text($"{plan.Runs.Count} runs: {string.Join(", ", plan.Arms.Select(a => a.Name))} x loop seeds {string.Join(", ", plan.LoopSeeds)}; one shared seed model\n");
                string? Link(string runId) => server.UiUrl is { } uiBase ? WebUiLinks.ToWorkflow(uiBase, temporal.Namespace, runId).ToString() : null;
                var results = await ExperimentRunner.RunAsync(client, plan, store, console, Link, ct);
                foreach (var failure in results.Where(r => r.Failure is not null))
                {
                    await stderr.WriteLineAsync($"{failure.Run.RunId} failed: {failure.Failure}");
                }

                var report = ExperimentReportBuilder.Build(plan, results, r => ExperimentReportWriter.ReadRunReport(r, store), runFile);
                var path = ExperimentReportWriter.Write(report, store);
                console.Text("\n" + ExperimentTable.Render(report));
                console.Text($"Report: {path} (table experiment.txt, plots *.png beside it); each run's own report in {Path.Combine(store, "runs")}/<run id>/\n");
                return results.All(r => r.Summary is not null) ? ExitCompleted : ExitFailed;
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        }
    }
}
