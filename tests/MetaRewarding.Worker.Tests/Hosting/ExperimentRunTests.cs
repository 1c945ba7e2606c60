using System.Collections;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Worker.Cli;
using MetaRewarding.Worker.Experiments;
using MetaRewarding.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MetaRewarding.Worker.Tests.Hosting;

/// <summary>
/// <c>experiment</c> on the settings its command runs with (<see cref="ExperimentSession.DurableSettings"/>): the real
/// in-process server on the output folder's database and the hosted workers, with activity doubles registered
/// through DI (they isolate the session's durability from the model steps).
/// </summary>
public sealed class ExperimentRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("experiment-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private IConfiguration Configuration()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var settings = ExperimentSession.DurableSettings(_folder, uiPort: 0, modelSlots: 2).ToDictionary(s => s.Key, s => s.Value);
        settings["Worker:CpuTaskQueue"] = $"cpu-{id}";
        settings["Worker:GpuTaskQueue"] = $"gpu-{id}";
        settings["Worker:GracefulShutdownSeconds"] = "1";
        settings["Temporal:Address"] = "";
        return MetaRewardingConfiguration.Build(settings, new Hashtable(), AppContext.BaseDirectory);
    }

    [Fact]
    public async Task RunAsync_AgainOnTheSameFolder_ContinuesTheUnfinishedExperimentInsteadOfStartingANewOne()
    {
        var configuration = Configuration();
        Assert.Equal(DemoCommand.DatabaseFile(_folder), configuration["Temporal:DatabaseFile"]);
        var runFile = DemoCommand.DemoRunFile(_folder);
        IReadOnlyList<Arm> arms = [Arms.Get("oracle"), Arms.Get("judge-free")];
        IReadOnlyList<long> loopSeeds = [runFile.Configuration.Seed, runFile.Configuration.Seed + 1];
        using var firstOut = new StringWriter();
        using var firstErr = new StringWriter();
        // Two of the four runs held in iteration 1's training (both model slots), the shared seed long measured.
        var held = await InterruptedSession.StopInIterationOneTrainingAsync(
            (services, ct) => ExperimentCommand.RunAsync(runFile, arms, loopSeeds, configuration, firstOut, firstErr, services, pathVariable: "", ct), firstErr);
        var experimentId = held.Calls.Where(c => c.StartsWith("TrainDpo(", StringComparison.Ordinal))
            .Select(c => ExperimentPlan.ExperimentIdOf(c[9..c.IndexOf(',', StringComparison.Ordinal)], arms, loopSeeds)).Distinct().Single();
        Assert.NotNull(experimentId);
        Assert.StartsWith(ExperimentCommand.IdPrefix, experimentId, StringComparison.Ordinal);

        var resumed = new FakeActivities();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var code = await ExperimentCommand.RunAsync(runFile, arms, loopSeeds, configuration, stdout, stderr,
            services => services.AddSingleton<IRunActivities>(resumed).AddSingleton<IModelActivities>(resumed), pathVariable: "", timeout.Token);

        Assert.True(code == ExperimentSession.ExitCompleted, stderr.ToString());
        Assert.Contains("continuing ", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("still open and resumed", stderr.ToString(), StringComparison.Ordinal);
        // The shared seed is not prepared again, and every run trained belongs to the interrupted experiment.
        Assert.DoesNotContain(resumed.Calls, c => c.StartsWith("PrepareSeedModel(", StringComparison.Ordinal));
        var trained = resumed.Calls.Where(c => c.StartsWith("TrainDpo(", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(trained);
        Assert.All(trained, c => Assert.StartsWith(experimentId + "-", c[9..], StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_folder, "experiments", experimentId, "experiment.json")), stdout.ToString());
    }
}
