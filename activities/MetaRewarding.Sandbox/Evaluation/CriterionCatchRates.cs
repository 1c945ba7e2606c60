using MetaRewarding.Sandbox.Formats;

namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>Per-criterion checks of a judge's marks against the truth: which rules the judge can actually check.</summary>
public static class CriterionCatchRates
{
    /// <summary>One entry per criterion, in mark order. All items must be of one task family (one set of criteria).</summary>
    public static IReadOnlyList<CriterionCatchRate> Compute(IReadOnlyList<JudgedResponse> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("Catch rates need at least one judged response.", nameof(items));
        }

        var criteria = items[0].Task.Criteria;
        if (items.Any(i => i.Task.Family != items[0].Task.Family))
        {
            throw new ArgumentException("Catch rates compare criteria by position: all items must be of one task family.", nameof(items));
        }

        var caught = new int[criteria.Count];
        var violations = new int[criteria.Count];
        var falseAlarms = new int[criteria.Count];
        var met = new int[criteria.Count];
        foreach (var item in items)
        {
            var truth = Rubric.Marks(item.Task, item.Response);
            var marks = JudgmentFormat.TryParseMarks(item.Judgment);
            for (var c = 0; c < criteria.Count; c++)
            {
                if (truth[c])
                {
                    met[c]++;
                    falseAlarms[c] += marks is not null && !marks[c] ? 1 : 0;
                }
                else
                {
                    violations[c]++;
                    caught[c] += marks is not null && !marks[c] ? 1 : 0;
                }
            }
        }

        return [.. criteria.Select((name, c) => new CriterionCatchRate(name, c, new Ratio(caught[c], violations[c]), new Ratio(falseAlarms[c], met[c])))];
    }
}
