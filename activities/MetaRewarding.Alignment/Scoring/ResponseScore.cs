namespace MetaRewarding.Alignment.Scoring;

/// <summary>
/// A response's score over its N judgments (docs/ALGORITHM.md step 3): the mean and population variance of the
/// valid judgment scores. With no valid judgment, <see cref="Mean"/> and <see cref="Variance"/> are NaN.
/// </summary>
public readonly record struct ResponseScore(double Mean, double Variance, int ValidCount, int InvalidCount)
{
    /// <summary>True when at least one judgment gave a valid score.</summary>
    public bool HasScore => ValidCount > 0;

    /// <summary>Mean and variance of <paramref name="scores"/>, NaN where undefined; invalid entries are given as NaN.</summary>
    public static ResponseScore FromScores(ReadOnlySpan<double> scores)
    {
        var valid = 0;
        var sum = 0.0;
        foreach (var score in scores)
        {
            if (!double.IsNaN(score))
            {
                valid++;
                sum += score;
            }
        }

        if (valid == 0)
        {
            return new ResponseScore(double.NaN, double.NaN, 0, scores.Length);
        }

        var mean = sum / valid;
        var squares = 0.0;
        foreach (var score in scores)
        {
            if (!double.IsNaN(score))
            {
                squares += (score - mean) * (score - mean);
            }
        }

        return new ResponseScore(mean, squares / valid, valid, scores.Length - valid);
    }
}
