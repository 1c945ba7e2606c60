using MetaRewarding.Alignment.Elo;
using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Alignment.Benchmarks;

/// <summary>One 11×11 Bradley–Terry fit, the size the paper's N = 11 gives (110 battles).</summary>
internal static class EloBenchmark
{
    public static void Run()
    {
        const int n = 11;
        var random = new Random(42);
        var matrices = Enumerable.Range(0, 256).Select(_ => RealisticMatrix(random, n)).ToArray();
        var fitsPerRun = 20_000;
        var iterations = 0L;
        var median = Timing.Median(warmups: 1, runs: 7, () =>
        {
            for (var i = 0; i < fitsPerRun; i++)
            {
                iterations += BradleyTerryFit.Fit(matrices[i % matrices.Length], n).Iterations;
            }
        });
        var meanIterations = iterations / (8.0 * fitsPerRun);
        Console.WriteLine($"Elo fit 11x11 (110 battles, Newton): median {median.Cpu.TotalMicroseconds / fitsPerRun:F2} µs CPU ({median.Wall.TotalMicroseconds / fitsPerRun:F2} µs wall) per fit over {fitsPerRun:N0} fits x 7 runs; mean {meanIterations:F1} Newton iterations");

        var dominant = new double[n * n];
        for (var k = 1; k < n; k++)
        {
            dominant[k] = 1;
        }

        var fit = BradleyTerryFit.Fit(dominant, n);
        var oneWinner = Timing.Median(1, 7, () =>
        {
            for (var i = 0; i < fitsPerRun; i++)
            {
                BradleyTerryFit.Fit(dominant, n);
            }
        });
        Console.WriteLine($"Elo fit 11x11, one judgment wins everything: median {oneWinner.Cpu.TotalMicroseconds / fitsPerRun:F2} µs CPU ({oneWinner.Wall.TotalMicroseconds / fitsPerRun:F2} µs wall) per fit, {fit.Iterations} Newton iterations, top rating {fit.Ratings[0]:F3}");
    }

    /// <summary>All 110 battles judged with a meta-judge that favours position A 68% of the time (the paper's bias).</summary>
    private static double[] RealisticMatrix(Random random, int n)
    {
        var quality = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 3).ToArray();
        var outcomes = new List<BattleOutcome>();
        foreach (var battle in BattlePlan.Create(n))
        {
            var firstWins = 1 / (1 + Math.Exp(-(quality[battle.First] - quality[battle.Second] + 0.75)));
            var verdict = random.NextDouble() < 0.05 ? VerdictPosition.None : random.NextDouble() < firstWins ? VerdictPosition.A : VerdictPosition.B;
            outcomes.Add(new BattleOutcome(battle, verdict));
        }

        return BattleMatrix.Build(n, [.. outcomes], PositionalBiasWeights.FromOutcomes(outcomes), requireConsistentVerdicts: false);
    }
}
