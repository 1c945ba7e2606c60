namespace MetaRewarding.Alignment.Tests.Elo;

/// <summary>
/// An independent fit of the same penalised Bradley–Terry objective, to cross-check the production Newton solver:
/// cyclic coordinate minorise–maximise (each coordinate maximises the quadratic lower bound given by the
/// logistic curvature bound σ(1−σ) ≤ 1/4, so every step increases the objective), followed each sweep by an
/// exact maximisation along the all-ones direction (re-centring: the battle terms do not change along it, the
/// penalty is maximal at zero mean). Slow but simple and monotone: a different method, written separately.
/// </summary>
internal static class ReferenceBradleyTerry
{
    public static double[] Fit(double[] wins, int n, double lambda, double tolerance = 1e-12, int maxSweeps = 2_000_000)
    {
        var ratings = new double[n];
        for (var sweep = 0; sweep < maxSweeps; sweep++)
        {
            var largest = 0.0;
            for (var k = 0; k < n; k++)
            {
                var gradient = -lambda * ratings[k];
                var bound = lambda;
                for (var j = 0; j < n; j++)
                {
                    if (j == k)
                    {
                        continue;
                    }

                    var p = 1.0 / (1.0 + Math.Exp(-(ratings[k] - ratings[j]))); // P(k beats j)
                    gradient += (wins[(k * n) + j] * (1 - p)) - (wins[(j * n) + k] * p);
                    bound += (wins[(k * n) + j] + wins[(j * n) + k]) / 4;
                }

                ratings[k] += gradient / bound;
                largest = Math.Max(largest, Math.Abs(gradient));
            }

            var mean = ratings.Average();
            for (var k = 0; k < n; k++)
            {
                ratings[k] -= mean;
            }

            if (largest < tolerance)
            {
                return ratings;
            }
        }

        throw new InvalidOperationException("the reference fit did not converge");
    }
}
