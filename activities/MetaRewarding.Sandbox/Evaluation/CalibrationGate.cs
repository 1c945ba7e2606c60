using System.Globalization;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>
/// docs/SANDBOX.md's gate for choosing a seed checkpoint: keep an SFT seed only if its judge catches at least half of
/// the "contains" and "no repeat" violations on a small labelled set — the rules the actor breaks. Self-rewarding
/// helped exactly when the judge could check them (one of two checkpoints learned "no repeat"; only it improved).
/// </summary>
public static class CalibrationGate
{
    /// <summary>Default criteria: constraint tasks' "contains" and "no repeat".</summary>
    public static readonly IReadOnlyList<int> ConstraintCriteria = [ConstraintTask.ContainsCriterion, ConstraintTask.NoRepeatCriterion];

    /// <summary>
    /// Passes when, for every criterion in <paramref name="criteria"/> (default <see cref="ConstraintCriteria"/>),
    /// the judge caught at least <paramref name="threshold"/> of at least <paramref name="minViolations"/> violations.
    /// Too few violations fail the gate: the set cannot vouch for the judge.
    /// </summary>
    public static CalibrationResult Check(IReadOnlyList<JudgedResponse> items, double threshold = 0.5, int minViolations = 10, IReadOnlyList<int>? criteria = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (!(threshold is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The catch-rate threshold must be in [0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(minViolations, 1);
        var rates = CriterionCatchRates.Compute(items);
        var selected = (criteria ?? ConstraintCriteria).Select(c => c >= 0 && c < rates.Count
            ? rates[c]
            : throw new ArgumentOutOfRangeException(nameof(criteria), c, $"Criterion index must be in [0, {rates.Count - 1}].")).ToList();
        var problems = new List<string>();
        foreach (var rate in selected)
        {
            if (rate.Caught.Total < minViolations)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"'{rate.Criterion}' has only {rate.Caught.Total} violations in the set (need >= {minViolations}): use a larger labelled set"));
            }
            else if (rate.Caught.Rate < threshold)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"'{rate.Criterion}' caught {rate.Caught.Count}/{rate.Caught.Total} = {rate.Caught.Rate:0.###} < {threshold:0.###}"));
            }
        }

        var summary = string.Join(", ", selected.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Criterion} {r.Caught.Count}/{r.Caught.Total}")));
        return problems.Count == 0
            ? new CalibrationResult(true, selected, $"passed: caught {summary}")
            : new CalibrationResult(false, selected, "failed: " + string.Join("; ", problems));
    }
}
