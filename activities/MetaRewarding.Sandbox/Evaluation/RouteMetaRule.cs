using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Formats;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>
/// How a route meta-judgment decides (docs/SANDBOX.md, "The route family"): find the first point where the two
/// judgments disagree, check that one point against the task, and the judgment that is right there wins. The
/// SFT demonstrations, the oracle meta-judge's trace and the diagnostics all use this one rule.
/// </summary>
public static class RouteMetaRule
{
    /// <summary>
    /// The first disagreement of two parsed judgments: criteria in mark order; at the edge criterion also a
    /// different witness when both fail it. Null when they agree everywhere (or either has no marks).
    /// </summary>
    public static DisagreementPoint? FirstDisagreement(ModelCompletion judgmentA, ModelCompletion judgmentB)
    {
        var marksA = JudgmentFormat.TryParseMarks(judgmentA);
        var marksB = JudgmentFormat.TryParseMarks(judgmentB);
        if (marksA is null || marksB is null)
        {
            return null;
        }

        var witnessA = WitnessJudgmentFormat.TryParseWitness(judgmentA);
        var witnessB = WitnessJudgmentFormat.TryParseWitness(judgmentB);
        for (var c = 0; c < Rubric.CriterionCount; c++)
        {
            if (c == RouteTask.EdgesCriterion)
            {
                if (marksA[c] != marksB[c])
                {
                    return marksA[c] ? new DisagreementPoint(c, witnessB, VerdictPosition.B) : new DisagreementPoint(c, witnessA, VerdictPosition.A);
                }

                if (!marksA[c] && !string.Equals(witnessA, witnessB, StringComparison.Ordinal))
                {
                    return new DisagreementPoint(c, witnessA, VerdictPosition.A);
                }
            }
            else if (marksA[c] != marksB[c])
            {
                return new DisagreementPoint(c, null, VerdictPosition.None);
            }
        }

        return null;
    }

    /// <summary>
    /// The truth of the check at <paramref name="point"/>: for the edge criterion, whether the cited step is a
    /// real non-edge step of the route; otherwise whether the criterion is met.
    /// </summary>
    public static bool Holds(RouteTask task, string response, DisagreementPoint point)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(point);
        return point.Criterion == RouteTask.EdgesCriterion
            ? task.IsValidWitness(response, point.Witness)
            : task.Marks(response)[point.Criterion];
    }

    /// <summary>The winner when the check at <paramref name="point"/> came out <paramref name="holds"/>.</summary>
    public static VerdictPosition Decide(DisagreementPoint point, bool holds, ModelCompletion judgmentA)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (point.Criterion == RouteTask.EdgesCriterion)
        {
            return holds ? point.ClaimBy : Other(point.ClaimBy);
        }

        var markA = JudgmentFormat.TryParseMarks(judgmentA)
            ?? throw new ArgumentException("Judgment A has no marks, so there is no disagreement point.", nameof(judgmentA));
        return markA[point.Criterion] == holds ? VerdictPosition.A : VerdictPosition.B;
    }

    /// <summary>The oracle's meta-judgment of two judgments (the trace with the true check), or null when they agree.</summary>
    public static string? TrueMetaJudgment(RouteTask task, string response, ModelCompletion judgmentA, ModelCompletion judgmentB)
    {
        if (FirstDisagreement(judgmentA, judgmentB) is not { } point)
        {
            return null;
        }

        var holds = Holds(task, response, point);
        return WitnessMetaJudgmentFormat.Format(point, holds, Decide(point, holds, judgmentA));
    }

    private static VerdictPosition Other(VerdictPosition position) => position == VerdictPosition.A ? VerdictPosition.B : VerdictPosition.A;
}
