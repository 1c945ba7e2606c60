using System.Collections;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Worker.Cli;
using MetaRewarding.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MetaRewarding.Worker.Tests.Hosting;

/// <summary>
/// The worker host composition end to end: the demo's two runs on the in-process server, served by the hosted
/// workers of <see cref="WorkerHost"/> on both queues, with activity doubles registered through DI.
/// </summary>
public sealed class DemoRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("demo-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The demo's settings on fresh queues, the in-process server in memory or on <paramref name="databaseFile"/>.</summary>
    private IConfiguration Configuration(string? databaseFile, int modelSlots = 1)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        return MetaRewardingConfiguration.Build(
            new Dictionary<string, string?>
            {
                ["Worker:Artifacts"] = _folder,
                ["Worker:CpuTaskQueue"] = $"cpu-{id}",
                ["Worker:GpuTaskQueue"] = $"gpu-{id}",
                ["Worker:GracefulShutdownSeconds"] = "1",
                ["Temporal:Address"] = "",
                ["Temporal:UiPort"] = "0",
                ["Temporal:DatabaseFile"] = databaseFile,
                ["Worker:ModelActivitySlots"] = modelSlots.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Serilog:MinimumLevel:Default"] = "Warning",
            },
            new Hashtable(),
            AppContext.BaseDirectory);
    }

    [Fact]
    public async Task RunAsync_EmbeddedRunFile_RunsTheModelRunAndTheOracleControlToCompletion()
    {
        var activities = new FakeActivities();
        var configuration = Configuration(databaseFile: null);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var runFile = DemoCommand.DemoRunFile(_folder);
        var code = await DemoCommand.RunAsync(
            runFile,
            configuration,
            stdout,
            stderr,
            services => services.AddSingleton<IRunActivities>(activities).AddSingleton<IModelActivities>(activities),
            pathVariable: "", // no `temporal` CLI to find, even where one is installed: the in-process server
            timeout.Token);

        Assert.True(code == DemoCommand.ExitCompleted, stderr.ToString());
        Assert.Equal([JudgeMode.Model, JudgeMode.Oracle], activities.JudgeModes.Order());
        var calls = activities.Calls;
        // The embedded schedule, whatever its tuning: every iteration trains, the iterations that train the judge
        // meta-judge (the double's slices have one shard), and the oracle control never does.
        var iterations = runFile.Configuration.Iterations;
        Assert.Equal(iterations.Count, calls.Count(c => c.StartsWith("TrainDpo(demo-", StringComparison.Ordinal) && !c.Contains("-oracle", StringComparison.Ordinal)));
        Assert.Equal(iterations.Count, calls.Count(c => c.StartsWith("TrainDpo(", StringComparison.Ordinal) && c.Contains("-oracle", StringComparison.Ordinal)));
        Assert.Equal(iterations.Count(i => i.TrainsJudge), calls.Count(c => c.StartsWith("MetaJudge(", StringComparison.Ordinal)));
        Assert.DoesNotContain(calls, c => c.StartsWith("MetaJudge(", StringComparison.Ordinal) && c.Contains("-oracle", StringComparison.Ordinal));
        Assert.Contains("NOT durable", stderr.ToString(), StringComparison.Ordinal);
        var output = stdout.ToString();
        Assert.Contains("meta-rewarding: completed", output, StringComparison.Ordinal);
        Assert.Contains("oracle: completed", output, StringComparison.Ordinal);
        Assert.Contains("Experiment demo-", output, StringComparison.Ordinal);
        Assert.Contains("Report: ", output, StringComparison.Ordinal);

        // One shared seed: the oracle control starts from the seed model the method's run made.
        var oracleSeed = activities.SeedModels.Single(s => s.Key.EndsWith("-oracle", StringComparison.Ordinal)).Value;
        Assert.EndsWith(Path.Combine("seed", "model"), oracleSeed, StringComparison.Ordinal);
        Assert.Equal("", activities.SeedModels.Single(s => s.Key.EndsWith("-meta-rewarding", StringComparison.Ordinal)).Value);

        // A quiet console: not a terminal, so no control characters; each time-stamped line once.
        Assert.DoesNotContain('\r', output);
        Assert.DoesNotContain('\u001b', output);
        var stamped = output.Split('\n').Where(l => l.StartsWith('[')).Select(l => l[(l.IndexOf(']', StringComparison.Ordinal) + 1)..]).ToList();
        Assert.Equal(stamped.Count, stamped.Distinct().Count());
        // The interceptor put the iteration into the log context of every activity that belongs to one.
        var last = iterations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var trainLast = calls.First(c => c.StartsWith("TrainDpo(", StringComparison.Ordinal) && c.EndsWith($",{last})", StringComparison.Ordinal));
        Assert.Equal(last, activities.LoggedIteration[trainLast]);
    }

    [Fact]
    public async Task RunAsync_AgainOnTheSameFolder_ContinuesTheUnfinishedRunsInsteadOfStartingNewOnes()
    {
        // Two model-activity slots, as the demo has: one run's held training must not keep the other's seed waiting.
        var configuration = Configuration(DemoCommand.DatabaseFile(_folder), modelSlots: 2);
        using var firstOut = new StringWriter();
        using var firstErr = new StringWriter();
        // Both runs in iteration 1's training (the oracle control starts once the shared seed is measured), so
        // everything before it has finished in both.
        var held = await InterruptedSession.StopInIterationOneTrainingAsync(
            (services, ct) => DemoCommand.RunAsync(DemoCommand.DemoRunFile(_folder), configuration, firstOut, firstErr, services, pathVariable: "", ct), firstErr);
        var runIds = held.Calls.Where(c => c.StartsWith("PrepareRun(", StringComparison.Ordinal)).Select(c => c[11..^1]).Order().ToList();
        Assert.Equal(2, runIds.Count);

        var resumed = new FakeActivities();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var code = await DemoCommand.RunAsync(DemoCommand.DemoRunFile(_folder), configuration, stdout, stderr,
            services => services.AddSingleton<IRunActivities>(resumed).AddSingleton<IModelActivities>(resumed), pathVariable: "", timeout.Token);

        Assert.True(code == DemoCommand.ExitCompleted, stderr.ToString());
        Assert.Contains($"continuing {runIds[0]} and {runIds[1]}", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("still open and resumed", stderr.ToString(), StringComparison.Ordinal);
        // Nothing before the interruption ran again: no PrepareRun, no seed; every call belongs to the same two runs.
        Assert.DoesNotContain(resumed.Calls, c => c.StartsWith("PrepareRun(", StringComparison.Ordinal) || c.StartsWith("PrepareSeedModel(", StringComparison.Ordinal));
        Assert.All(resumed.Calls.Where(c => c.StartsWith("TrainDpo(", StringComparison.Ordinal)), c => Assert.Contains(c[9..c.IndexOf(',', StringComparison.Ordinal)], runIds));
    }

    [Fact]
    public void DemoRunFile_PassesValidationAndBrokenCopiesAreRefused()
    {
        // Behaviour, not the tuned values (they belong to the demo's header and docs/SANDBOX.md): the embedded run
        // file is a sandbox run that validation accepts, and validation still guards it.
        var file = DemoCommand.DemoRunFile(_folder);

        Assert.NotNull(file.Sandbox);
        Assert.Empty(MetaRewarding.Activities.Run.RunInputValidator.Validate(file.ToRunInput("demo")));
        var input = file.ToRunInput("demo");
        var broken = input with { Configuration = input.Configuration with { Iterations = [.. input.Configuration.Iterations.Select(i => i with { ResponsesPerPrompt = 1 })] } };
        Assert.Contains(MetaRewarding.Activities.Run.RunInputValidator.Validate(broken), e => e.Contains("responsesPerPrompt must be >= 2", StringComparison.Ordinal));
    }
}
