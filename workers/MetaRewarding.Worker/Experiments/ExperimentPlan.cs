using System.Globalization;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Worker.Runs;

namespace MetaRewarding.Worker.Experiments;

/// <summary>One run of an experiment: an arm under one loop seed.</summary>
public sealed record ArmRun(string Arm, long LoopSeed, RunInput Input)
{
    public string RunId => Input.RunId;
}

/// <summary>
/// The runs of an experiment: every arm under every loop seed, all from one run file. The first run (the first arm
/// under the first seed) makes the seed model, unless one is given; the others start from it
/// (<see cref="RunInput.SeedModel"/>), so the arms differ only in what they control for. Run ids: <c>{id}-{arm}</c> with one loop seed, else
/// <c>{id}-{arm}-seed{loopSeed}</c>.
/// </summary>
public sealed record ExperimentPlan(string Id, IReadOnlyList<Arm> Arms, IReadOnlyList<long> LoopSeeds, IReadOnlyList<ArmRun> Runs)
{
    /// <summary>An existing seed model every run starts from (absolute folder); null: the first run makes one.</summary>
    public string? SeedModel { get; init; }

    public static ExperimentPlan Create(string id, RunFile runFile, IReadOnlyList<Arm> arms, IReadOnlyList<long> loopSeeds, TaskQueues queues, string? seedModel = null)
    {
        ArgumentNullException.ThrowIfNull(runFile);
        ArgumentNullException.ThrowIfNull(arms);
        ArgumentNullException.ThrowIfNull(loopSeeds);
        if (arms.Count == 0 || loopSeeds.Count == 0)
        {
            throw new ArgumentException("an experiment needs at least one arm and one loop seed");
        }

        var runs = new List<ArmRun>();
        foreach (var seed in loopSeeds)
        {
            foreach (var arm in arms)
            {
                var runId = RunId(id, arm, seed, loopSeeds.Count);
                var input = runFile.ToRunInput(runId) with { TaskQueues = queues, SeedModel = seedModel };
                input = arm.Apply(input with { Configuration = input.Configuration with { Seed = seed } });
                runs.Add(new ArmRun(arm.Name, seed, input));
            }
        }

        return new ExperimentPlan(id, arms, loopSeeds, runs) { SeedModel = seedModel };
    }

    /// <summary>The run id of <paramref name="arm"/> under <paramref name="loopSeed"/>, the one naming rule.</summary>
    public static string RunId(string id, Arm arm, long loopSeed, int loopSeedCount)
    {
        ArgumentNullException.ThrowIfNull(arm);
        return loopSeedCount == 1 ? $"{id}-{arm.Name}" : string.Create(CultureInfo.InvariantCulture, $"{id}-{arm.Name}-seed{loopSeed}");
    }

    /// <summary>The experiment id whose plan of these arms and loop seeds has a run <paramref name="runId"/>; null when none does.</summary>
    public static string? ExperimentIdOf(string runId, IReadOnlyList<Arm> arms, IReadOnlyList<long> loopSeeds)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(arms);
        ArgumentNullException.ThrowIfNull(loopSeeds);
        foreach (var arm in arms)
        {
            foreach (var seed in loopSeeds)
            {
                var suffix = RunId("", arm, seed, loopSeeds.Count);
                if (runId.Length > suffix.Length && runId.EndsWith(suffix, StringComparison.Ordinal))
                {
                    return runId[..^suffix.Length];
                }
            }
        }

        return null;
    }

    /// <summary>The run that makes the shared seed model.</summary>
    public ArmRun SeedOwner => Runs[0];
}
