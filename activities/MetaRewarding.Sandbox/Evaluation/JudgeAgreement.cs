using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>Judge agreement with the oracle rubric.</summary>
public static class JudgeAgreement
{
    /// <summary>The score an unparsable judgment counts as: the middle of [0, 5].</summary>
    public const double UnparsableScore = 2.5;

    /// <summary>Parses each judgment with Alignment's <see cref="JudgeScoreParser"/> and compares it with the true score.</summary>
    public static JudgeAgreementMetrics Evaluate(IReadOnlyList<JudgedResponse> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Evaluate(
            [.. items.Select(i => Rubric.Score(i.Task, i.Response))],
            [.. items.Select(i => JudgeScoreParser.Parse(i.Judgment))]);
    }

    /// <summary>The metrics from true scores and parsed judgments, pairwise.</summary>
    public static JudgeAgreementMetrics Evaluate(IReadOnlyList<int> trueScores, IReadOnlyList<ScoreParseResult> judged)
    {
        ArgumentNullException.ThrowIfNull(trueScores);
        ArgumentNullException.ThrowIfNull(judged);
        if (trueScores.Count == 0 || trueScores.Count != judged.Count)
        {
            throw new ArgumentException($"Judge agreement needs as many judgments as true scores (>= 1), got {judged.Count} and {trueScores.Count}.", nameof(judged));
        }

        var predicted = judged.Select(j => j.IsValid ? j.Score : UnparsableScore).ToArray();
        var truth = trueScores.Select(s => (double)s).ToArray();
        var n = truth.Length;
        var exact = 0;
        var withinOne = 0;
        double bias = 0;
        for (var i = 0; i < n; i++)
        {
            var difference = predicted[i] - truth[i];
            exact += judged[i].IsValid && difference == 0 ? 1 : 0;
            withinOne += Math.Abs(difference) <= 1 ? 1 : 0;
            bias += difference;
        }

        return new JudgeAgreementMetrics(
            n,
            (double)judged.Count(j => j.IsValid) / n,
            (double)exact / n,
            (double)withinOne / n,
            RankCorrelation.Spearman(predicted, truth),
            bias / n,
            truth.Average());
    }
}
