using FsCheck.Xunit;
using MetaRewarding.Alignment.Elo;

namespace MetaRewarding.Alignment.Tests.Elo;

public class BradleyTerryFitTests
{
    // Ratings agree to 1e-6 (the brief's bar). Both fits stop at gradient ≤ 1e-10 / 1e-12; with the penalty's
    // curvature ≥ 1e-3 that bounds each one's rating error by ~1e-7, so 1e-6 leaves margin without hiding bugs.
    private const double CrossCheckTolerance = 1e-6;

    [Fact]
    public void Fit_TwoJudgments_SatisfiesTheHandDerivedOptimality()
    {
        // B[0,1] = 3, B[1,0] = 1. At the optimum ε0 = −ε1 = x with 3·σ(−2x) − 1·σ(2x) − λx = 0.
        var fit = BradleyTerryFit.Fit([0, 3, 1, 0], 2, 1e-3);

        var x = fit.Ratings[0];
        Assert.Equal(-x, fit.Ratings[1], 12);
        Assert.Equal(0, (3 * Sigmoid(-2 * x)) - Sigmoid(2 * x) - (1e-3 * x), 9);
        // Without the penalty x = ln(3)/2 = 0.5493; the small penalty pulls it in only slightly.
        Assert.InRange(x, 0.54, 0.5493);
        Assert.True(fit.Converged);
    }

    [Fact]
    public void Fit_NoBattles_RatesAllZeroWithoutIterating()
    {
        var fit = BradleyTerryFit.Fit(new double[9], 3);

        Assert.All(fit.Ratings, r => Assert.Equal(0, r));
        Assert.Equal(0, fit.Iterations);
    }

    [Fact]
    public void Fit_OneJudgmentWinsEverything_StaysFiniteAndOnTop()
    {
        const int n = 11;
        var wins = new double[n * n];
        for (var k = 1; k < n; k++)
        {
            wins[k] = 1; // judgment 0 beats everyone in both orders (ω1 + ω2 = 1)
        }

        var fit = BradleyTerryFit.Fit(wins, n);

        Assert.True(fit.Converged);
        Assert.All(fit.Ratings, r => Assert.True(double.IsFinite(r)));
        Assert.Equal(0, Array.IndexOf(fit.Ratings, fit.Ratings.Max()));
        Assert.InRange(fit.Iterations, 1, 30);
        Assert.Equal(0, fit.Ratings.Sum(), 9); // the penalised optimum is centred
    }

    [Fact]
    public void Fit_Cycle_GivesEqualRatings()
    {
        // 0 beats 1, 1 beats 2, 2 beats 0: perfectly symmetric, so every rating is 0.
        double[] wins = [0, 1, 0, 0, 0, 1, 1, 0, 0];

        var fit = BradleyTerryFit.Fit(wins, 3);

        Assert.All(fit.Ratings, r => Assert.Equal(0, r, 9));
    }

    [Fact]
    public void Fit_BadInput_ThrowsNamingTheProblem()
    {
        Assert.Throws<ArgumentException>(() => BradleyTerryFit.Fit([0, 1, 1], 2));
        Assert.Throws<ArgumentException>(() => BradleyTerryFit.Fit([0, -1, 1, 0], 2));
        Assert.Throws<ArgumentException>(() => BradleyTerryFit.Fit([0, double.NaN, 1, 0], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => BradleyTerryFit.Fit([0, 1, 1, 0], 2, 0));
    }

    [Property(MaxTest = 60)]
    public bool Fit_RandomMatrix_MatchesIndependentReferenceFit(int seed)
    {
        var random = new Random(seed);
        var n = random.Next(2, 12);
        var lambda = random.Next(2) == 0 ? 1e-3 : 0.05;
        var wins = RandomBattles.Matrix(random, n);

        var fit = BradleyTerryFit.Fit(wins, n, lambda);
        var reference = ReferenceBradleyTerry.Fit(wins, n, lambda);

        return fit.Converged && fit.Ratings.Zip(reference).All(p => Math.Abs(p.First - p.Second) <= CrossCheckTolerance);
    }

    [Property(MaxTest = 100)]
    public bool Fit_RelabelledJudgments_PermutesRatings(int seed)
    {
        var random = new Random(seed);
        var n = random.Next(2, 12);
        var wins = RandomBattles.Matrix(random, n);
        var permutation = Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray();
        var relabelled = new double[n * n];
        for (var m = 0; m < n; m++)
        {
            for (var k = 0; k < n; k++)
            {
                relabelled[(permutation[m] * n) + permutation[k]] = wins[(m * n) + k];
            }
        }

        var original = BradleyTerryFit.Fit(wins, n).Ratings;
        var permuted = BradleyTerryFit.Fit(relabelled, n).Ratings;

        // Same problem, different summation order: equal up to rounding and solver tolerance.
        return Enumerable.Range(0, n).All(m => Math.Abs(original[m] - permuted[permutation[m]]) < 1e-8);
    }

    [Property(MaxTest = 100)]
    public bool Fit_AnyMatrix_IsFiniteAndConverges(int seed)
    {
        var random = new Random(seed);
        var n = random.Next(1, 14);
        var wins = RandomBattles.Matrix(random, n);
        if (random.Next(3) == 0)
        {
            // A judgment that wins every battle it is in: the unpenalised optimum would be infinite.
            var top = random.Next(n);
            for (var k = 0; k < n; k++)
            {
                wins[(k * n) + top] = 0;
            }
        }

        var fit = BradleyTerryFit.Fit(wins, n);

        return fit.Converged && fit.Ratings.All(double.IsFinite) && fit.Iterations < BradleyTerryFit.MaxIterations;
    }

    [Property(MaxTest = 100)]
    public bool Fit_DominatingJudgment_IsNeverRankedBelowTheDominated(int seed)
    {
        var random = new Random(seed);
        var n = random.Next(2, 12);
        var wins = RandomBattles.Matrix(random, n);
        var a = random.Next(n);
        var b = (a + 1 + random.Next(n - 1)) % n;
        // a wins at least as much as b against every third judgment, and loses at most as much to it ...
        for (var c = 0; c < n; c++)
        {
            if (c != a && c != b)
            {
                wins[(a * n) + c] = Math.Max(wins[(a * n) + c], wins[(b * n) + c]);
                wins[(c * n) + a] = Math.Min(wins[(c * n) + a], wins[(c * n) + b]);
            }
        }

        // ... and at least as much against b as b against a.
        if (wins[(a * n) + b] < wins[(b * n) + a])
        {
            (wins[(a * n) + b], wins[(b * n) + a]) = (wins[(b * n) + a], wins[(a * n) + b]);
        }

        var ratings = BradleyTerryFit.Fit(wins, n).Ratings;

        return ratings[a] >= ratings[b] - 1e-9;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
