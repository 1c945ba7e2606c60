using System.CommandLine;
using MetaRewarding.Worker.Experiments;
using MetaRewarding.Worker.Hosting;
using MetaRewarding.Worker.Runs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding demo [--out DIR] [--train-seed] [--ui-port 8233] [--temporal HOST:PORT] [--namespace NS]</c>: the
/// whole system on one machine, the main job. One shared seed model (the embedded <c>demo.run.json</c>'s sandbox: the
/// shipped one, <see cref="ShippedSeed"/>, while it fits this build, else or with <c>--train-seed</c> trained here), then two arms
/// as real run workflows side by side: the model judging itself (Meta-Rewarding) and the oracle control
/// (ground-truth judge); then one table — per iteration each arm's accuracy with 95% intervals and the own judge's
/// gain as a fraction of the oracle's (<see cref="ExperimentSession"/>). <c>experiment</c> runs every control over
/// several loop seeds. Exit codes: 0 both runs completed; 1 a run failed or the server could not start; 2 the
/// embedded run file is invalid (a build problem).
/// </summary>
internal static class DemoCommand
{
    public const int ExitCompleted = ExperimentSession.ExitCompleted;
    public const int ExitFailed = ExperimentSession.ExitFailed;
    public const int ExitInvalidRunFile = ExperimentSession.ExitInvalidRunFile;
    public const string ResourceName = "MetaRewarding.Worker.demo.run.json";

    /// <summary>How the demo's run ids begin (demo-{UTC time}); a demo run again continues the open runs of this prefix.</summary>
    public const string IdPrefix = "demo-";

    public static Command Create()
    {
        var output = new Option<string?>("--out") { Description = "Artifact store root; run folders go to DIR/runs/{id}, the report to DIR/experiments/{id} (default: the current folder).", HelpName = "DIR" };
        var uiPort = new Option<int?>("--ui-port") { Description = "Port of the in-process server's Temporal Web UI on localhost (default 8233; 0 picks a free one).", HelpName = "PORT" };
        var trainSeed = new Option<bool>("--train-seed") { Description = "Train the seed model here (the seed SFT: 6-11 minutes on 2 cores) instead of starting from the one shipped with the demo." };
        var modelSlots = ExperimentSession.ModelSlotsOption();
        var connection = new ConnectionOptions();
        var command = new Command("demo", "Run the offline sandbox demo: one seed model, then Meta-Rewarding and the oracle control side by side, then one table. Exit codes: 0 completed, 1 failed, 2 invalid embedded run file.");
        command.Options.Add(output);
        command.Options.Add(uiPort);
        command.Options.Add(trainSeed);
        command.Options.Add(modelSlots);
        connection.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var store = Path.GetFullPath(parse.GetValue(output) ?? ".");
            var configuration = connection.Configuration(parse, [.. ExperimentSession.DurableSettings(store, parse.GetValue(uiPort), parse.GetValue(modelSlots))]);
            var runFile = DemoRunFile(store);
            var stdout = parse.InvocationConfiguration.Output;
            var seedModel = parse.GetValue(trainSeed) ? null : ShippedSeedFor(runFile, store, ShippedSeed.DefaultFolder, stdout);
            return RunAsync(runFile, configuration, stdout, parse.InvocationConfiguration.Error, null, Environment.GetEnvironmentVariable("PATH"), ct, seedModel);
        });
        return command;
    }

    /// <summary>
    /// The shipped seed installed in <paramref name="store"/> when it fits <paramref name="runFile"/>, else null (the
    /// demo then trains one); either way one line on <paramref name="stdout"/> says which seed the demo starts from.
    /// </summary>
    public static string? ShippedSeedFor(RunFile runFile, string store, string shippedFolder, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(runFile);
        ArgumentNullException.ThrowIfNull(stdout);
        if (runFile.Sandbox is not { } sandbox)
        {
            return null;
        }

        var folder = ShippedSeed.Install(shippedFolder, sandbox, runFile.Configuration.Seed, store, out var reason);
        stdout.WriteLine(folder is null
            ? $"Seed model: trained here ({reason})."
            : $"Seed model: {reason}; --train-seed trains it here instead.");
        return folder;
    }

    /// <summary>
    /// Where the in-process server of `demo` and `experiment` keeps its state: in the output folder, so either run again with `--out DIR` (after
    /// Ctrl+C, a crash, a kill -9) continues its unfinished runs (<see cref="OpenRuns"/>) instead of starting new ones.
    /// </summary>
    public static string DatabaseFile(string outputFolder) => Path.Combine(outputFolder, "temporal.db");

    /// <summary>The embedded demo run file (relative paths, if any, resolve against <paramref name="baseDirectory"/>).</summary>
    public static RunFile DemoRunFile(string baseDirectory)
    {
        using var stream = typeof(DemoCommand).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from the executable; rebuild it");
        using var reader = new StreamReader(stream);
        return RunFile.Parse(reader.ReadToEnd(), "demo.run.json (embedded)", baseDirectory);
    }

    /// <summary>
    /// Runs the demo of <paramref name="runFile"/>: Meta-Rewarding and its oracle control from one seed, under the
    /// run file's seed. Tests pass their own activity doubles through <paramref name="services"/>.
    /// </summary>
    public static Task<int> RunAsync(
        RunFile runFile, IConfiguration configuration, TextWriter stdout, TextWriter stderr, Action<IServiceCollection>? services, CancellationToken ct) =>
        RunAsync(runFile, configuration, stdout, stderr, services, Environment.GetEnvironmentVariable("PATH"), ct);

    /// <summary>
    /// The same, with the <c>PATH</c> the server resolver searches for the <c>temporal</c> CLI given
    /// (<see cref="TemporalServerResolver"/>): a test passes an empty one to get the in-process server on any machine;
    /// with <paramref name="seedModel"/>, every run starts from that model folder instead of training a seed.
    /// </summary>
    public static Task<int> RunAsync(
        RunFile runFile,
        IConfiguration configuration,
        TextWriter stdout,
        TextWriter stderr,
        Action<IServiceCollection>? services,
        string? pathVariable,
        CancellationToken ct,
        string? seedModel = null)
    {
        ArgumentNullException.ThrowIfNull(runFile);
        var id = RunStarter.DefaultId(DateTime.UtcNow).Replace("metarewarding-", IdPrefix, StringComparison.Ordinal);
        return ExperimentSession.RunAsync(
            id, runFile, Arms.Demo, [runFile.Configuration.Seed], configuration, stdout, stderr, services, ct, seedModel, pathVariable, resumePrefix: IdPrefix);
    }
}
