namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>
/// A 95% percentile-bootstrap interval of a mean over items (distinct tasks: each task's own score is one
/// item, so a task's several samples move together): resample the items with replacement, take the mean, and read
/// the 2.5th and 97.5th percentiles of those means. Seeded, so the same items always give the same interval.
/// </summary>
public static class BootstrapInterval
{
    /// <summary>Resamples used: 2,000 puts the percentiles' own Monte-Carlo error well under 0.005 at n ≥ 1,000.</summary>
    public const int Resamples = 2_000;

    /// <summary>The interval of the mean of <paramref name="values"/> (at least one).</summary>
    public static (double Low, double High) Of(IReadOnlyList<double> values, long seed = 1)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("A bootstrap interval needs at least one value.", nameof(values));
        }

        var random = SandboxRandom.For(seed, "bootstrap", values.Count);
        var means = new double[Resamples];
        for (var r = 0; r < Resamples; r++)
        {
            var sum = 0.0;
            for (var i = 0; i < values.Count; i++)
            {
                sum += values[random.NextInt(values.Count)];
            }

            means[r] = sum / values.Count;
        }

        Array.Sort(means);
        return (means[(int)Math.Floor(0.025 * (Resamples - 1))], means[(int)Math.Ceiling(0.975 * (Resamples - 1))]);
    }
}
