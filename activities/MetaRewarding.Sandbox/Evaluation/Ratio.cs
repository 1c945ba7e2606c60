namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>A count out of a total, with the rate; <see cref="Rate"/> is null when nothing was counted (never NaN, so it serialises as JSON).</summary>
public readonly record struct Ratio(int Count, int Total)
{
    /// <summary>Count / Total, or null when Total is 0.</summary>
    public double? Rate => Total == 0 ? null : (double)Count / Total;

    /// <summary>Counts the true values of <paramref name="outcomes"/>.</summary>
    public static Ratio Of(IEnumerable<bool> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var count = 0;
        var total = 0;
        foreach (var outcome in outcomes)
        {
            total++;
            if (outcome)
            {
                count++;
            }
        }

        return new Ratio(count, total);
    }
}
