namespace MetaRewarding.Alignment.Elo;

/// <summary>
/// The Elo / Bradley–Terry fit of docs/ALGORITHM.md step 5e:
/// ε* = argmax_ε Σ_{m≠n} B[m,n]·log σ(ε_m − ε_n) − (λ/2)·Σ_k ε_k².
/// </summary>
/// <remarks>
/// The objective is strictly concave when λ &gt; 0 (the penalty's Hessian is −λ·I and each battle term's is
/// negative semi-definite), so it has one maximiser, which stays finite even when one judgment wins every
/// battle. Newton's method from ε = 0, with a backtracking line search as a safeguard, reaches it in a handful
/// of steps; everything is deterministic. At the optimum Σ_k ε_k = 0: the battle terms' gradients sum to zero,
/// so the penalty's must too.
/// </remarks>
public static class BradleyTerryFit
{
    /// <summary>Default λ, small enough not to bend the ranking, large enough to keep ratings finite. [choice]</summary>
    public const double DefaultL2Penalty = 1e-3;

    /// <summary>Stop when every gradient component is at most this.</summary>
    public const double GradientTolerance = 1e-10;

    /// <summary>Below this Newton decrement (g·Δ, twice the predicted gain) the full step is taken without a line search.</summary>
    private const double FullStepDecrement = 1e-6;

    /// <summary>Newton steps allowed; the fit is quadratic near the optimum, so this is never the limit in practice.</summary>
    public const int MaxIterations = 100;

    /// <summary>
    /// Fits ratings to <paramref name="wins"/>, the n×n row-major battle matrix (wins[m·n + k] = B[m,k],
    /// non-negative, finite; the diagonal is ignored).
    /// </summary>
    public static EloFit Fit(ReadOnlySpan<double> wins, int n, double l2Penalty = DefaultL2Penalty)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (wins.Length != n * n)
        {
            throw new ArgumentException($"the battle matrix has {wins.Length} entries; {n} judgments need {n * n}", nameof(wins));
        }

        if (!(l2Penalty > 0) || !double.IsFinite(l2Penalty))
        {
            throw new ArgumentOutOfRangeException(nameof(l2Penalty), l2Penalty, "the L2 penalty must be finite and > 0 to keep the ratings finite");
        }

        foreach (var w in wins)
        {
            if (!(w >= 0) || !double.IsFinite(w))
            {
                throw new ArgumentException($"battle weights must be finite and >= 0, got {w}", nameof(wins));
            }
        }

        var ratings = new double[n];
        var gradient = new double[n];
        var hessian = new double[n * n];
        var step = new double[n];
        var trial = new double[n];
        var objective = Evaluate(wins, n, l2Penalty, ratings, gradient, hessian);
        var iterations = 0;
        var norm = MaxAbs(gradient);
        while (norm > GradientTolerance && iterations < MaxIterations)
        {
            // Newton direction: (−H)·step = g, with −H symmetric positive definite.
            gradient.CopyTo(step, 0);
            CholeskySolveInPlace(hessian, n, step);
            var decrement = Dot(gradient, step);
            var t = 1.0;
            double trialObjective;
            while (true)
            {
                for (var k = 0; k < n; k++)
                {
                    trial[k] = ratings[k] + (t * step[k]);
                }

                trialObjective = Objective(wins, n, l2Penalty, trial);
                // Armijo condition, with slack for rounding in the objective. Once the Newton decrement g·Δ is
                // small the iterate is in the quadratic-convergence region where the full step is right, and
                // comparing objectives would only measure rounding noise (and halve the step for nothing).
                if (decrement < FullStepDecrement
                    || trialObjective >= objective + (1e-4 * t * decrement) - (1e-12 * Math.Abs(objective))
                    || t < 1e-10)
                {
                    break;
                }

                t *= 0.5;
            }

            trial.CopyTo(ratings, 0);
            objective = Evaluate(wins, n, l2Penalty, ratings, gradient, hessian);
            norm = MaxAbs(gradient);
            iterations++;
        }

        return new EloFit(ratings, iterations, norm, norm <= GradientTolerance);
    }

    /// <summary>The penalised log-likelihood at <paramref name="ratings"/> (exposed for tests and diagnostics).</summary>
    public static double Objective(ReadOnlySpan<double> wins, int n, double l2Penalty, ReadOnlySpan<double> ratings)
    {
        var value = 0.0;
        for (var m = 0; m < n; m++)
        {
            value -= 0.5 * l2Penalty * ratings[m] * ratings[m];
            for (var k = m + 1; k < n; k++)
            {
                var forward = wins[(m * n) + k];
                var backward = wins[(k * n) + m];
                if (forward == 0 && backward == 0)
                {
                    continue;
                }

                var d = ratings[m] - ratings[k];
                value += (forward * LogSigmoid(d)) + (backward * LogSigmoid(-d));
            }
        }

        return value;
    }

    /// <summary>Objective, gradient and negated Hessian (−H, positive definite) in one pass over the pairs.</summary>
    private static double Evaluate(ReadOnlySpan<double> wins, int n, double l2Penalty, double[] ratings, double[] gradient, double[] negHessian)
    {
        // A plain loop, not Span.Clear: the vectorised clear leaves the upper AVX register state dirty, and
        // every call into the C library's exp/log that follows then pays the AVX–SSE transition penalty
        // (measured: Evaluate 10x slower on the build machine).
        for (var i = 0; i < negHessian.Length; i++)
        {
            negHessian[i] = 0;
        }
        var value = 0.0;
        for (var m = 0; m < n; m++)
        {
            value -= 0.5 * l2Penalty * ratings[m] * ratings[m];
            gradient[m] = -l2Penalty * ratings[m];
            negHessian[(m * n) + m] = l2Penalty;
        }

        for (var m = 0; m < n; m++)
        {
            for (var k = m + 1; k < n; k++)
            {
                var forward = wins[(m * n) + k];
                var backward = wins[(k * n) + m];
                if (forward == 0 && backward == 0)
                {
                    continue;
                }

                var d = ratings[m] - ratings[k];
                // σ(d) and σ(−d) from one exponential, each without cancellation.
                var e = Math.Exp(-Math.Abs(d));
                var big = 1 / (1 + e);
                var small = e * big;
                var log1p = Math.Log(1 + e);
                double s, t, logS, logT;
                if (d >= 0)
                {
                    s = big;
                    t = small;
                    logS = -log1p;
                    logT = -d - log1p;
                }
                else
                {
                    s = small;
                    t = big;
                    logS = d - log1p;
                    logT = -log1p;
                }

                value += (forward * logS) + (backward * logT);
                var g = (forward * t) - (backward * s);
                gradient[m] += g;
                gradient[k] -= g;
                var c = (forward + backward) * s * t;
                negHessian[(m * n) + m] += c;
                negHessian[(k * n) + k] += c;
                negHessian[(m * n) + k] -= c;
                negHessian[(k * n) + m] -= c;
            }
        }

        return value;
    }

    /// <summary>Solves A·x = b for symmetric positive definite A (overwritten by its Cholesky factor); b becomes x.</summary>
    private static void CholeskySolveInPlace(double[] a, int n, double[] b)
    {
        for (var j = 0; j < n; j++)
        {
            var diagonal = a[(j * n) + j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= a[(j * n) + k] * a[(j * n) + k];
            }

            diagonal = Math.Sqrt(diagonal);
            a[(j * n) + j] = diagonal;
            for (var i = j + 1; i < n; i++)
            {
                var sum = a[(i * n) + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= a[(i * n) + k] * a[(j * n) + k];
                }

                a[(i * n) + j] = sum / diagonal;
            }
        }

        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= a[(i * n) + k] * b[k];
            }

            b[i] = sum / a[(i * n) + i];
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= a[(k * n) + i] * b[k];
            }

            b[i] = sum / a[(i * n) + i];
        }
    }

    private static double LogSigmoid(double x) => x >= 0 ? -Math.Log(1 + Math.Exp(-x)) : x - Math.Log(1 + Math.Exp(x));

    private static double MaxAbs(double[] values)
    {
        var max = 0.0;
        foreach (var v in values)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
