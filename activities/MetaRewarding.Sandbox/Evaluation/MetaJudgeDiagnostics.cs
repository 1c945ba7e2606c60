using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Formats;

namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>Meta-judge accuracy against the oracle and its biases; see <see cref="MetaJudgeMetrics"/>.</summary>
public static class MetaJudgeDiagnostics
{
    /// <summary>
    /// Evaluates every pair. On-policy accuracy (docs/SANDBOX.md) is this over judgments the model itself wrote; show
    /// each pair in both orders to measure (and cancel) position bias.
    /// </summary>
    public static MetaJudgeMetrics Evaluate(IReadOnlyList<MetaJudgedPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var parsed = new List<bool>();
        var correct = new List<bool>();
        var picksHigher = new List<bool>();
        var higherIsBetter = new List<bool>();
        var correctWhenLowerBetter = new List<bool>();
        var positionA = new List<bool>();
        var ownMarks = new List<bool>();
        foreach (var pair in pairs)
        {
            var truth = Rubric.Marks(pair.Task, pair.Response);
            var verdict = MetaJudgeVerdictParser.Parse(pair.MetaJudgment);
            parsed.Add(verdict.IsValid);
            if (verdict.IsValid)
            {
                positionA.Add(verdict.Winner == VerdictPosition.A);
            }

            if (MetaJudgmentFormat.TryParseReasoning(pair.MetaJudgment) is { } reasoning)
            {
                ownMarks.AddRange(reasoning.OwnMarks.Select((mark, c) => mark == truth[c]));
            }

            var scoreA = JudgeScoreParser.Parse(pair.JudgmentA);
            var scoreB = JudgeScoreParser.Parse(pair.JudgmentB);
            var scoresDiffer = scoreA.IsValid && scoreB.IsValid && scoreA.Score != scoreB.Score;
            var higher = !scoresDiffer ? VerdictPosition.None : scoreA.Score > scoreB.Score ? VerdictPosition.A : VerdictPosition.B;
            if (scoresDiffer && verdict.IsValid)
            {
                picksHigher.Add(verdict.Winner == higher);
            }

            var errorA = pair.Task.ErrorOf(pair.Response, pair.JudgmentA);
            var errorB = pair.Task.ErrorOf(pair.Response, pair.JudgmentB);
            if (errorA.CompareTo(errorB) == 0)
            {
                continue;
            }

            var better = errorA < errorB ? VerdictPosition.A : VerdictPosition.B;
            correct.Add(verdict.Winner == better);
            if (scoresDiffer)
            {
                higherIsBetter.Add(higher == better);
                if (higher != better)
                {
                    correctWhenLowerBetter.Add(verdict.Winner == better);
                }
            }
        }

        return new MetaJudgeMetrics(
            pairs.Count,
            Ratio.Of(parsed),
            Ratio.Of(correct),
            Ratio.Of(picksHigher),
            Ratio.Of(higherIsBetter),
            Ratio.Of(correctWhenLowerBetter),
            Ratio.Of(positionA),
            Ratio.Of(ownMarks));
    }
}
