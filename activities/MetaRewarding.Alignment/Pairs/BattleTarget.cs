using MetaRewarding.Alignment.Scoring;

namespace MetaRewarding.Alignment.Pairs;

/// <summary>
/// The battle rule of one prompt (docs/ALGORITHM.md step 5a), in one place for the two steps that must agree
/// exactly: the meta-judge activity battles the judgments this returns, and pair building checks the battles on
/// file against it (a disagreement would skip every prompt as <see cref="PairSkipReason.MetaJudgmentsMismatch"/>).
/// </summary>
/// <param name="Response">Index of the battled response among the prompt's kept (de-duplicated) responses.</param>
/// <param name="Judgments">Its distinct valid judgments, in file order: the ones battled, by index.</param>
public sealed record BattleTarget(int Response, IReadOnlyList<ScoredJudgment> Judgments)
{
    /// <summary>The purpose string of the seeded tie-break (with the run seed, the iteration and the prompt id).</summary>
    public const string TieBreakPurpose = "judge-response";

    /// <summary>
    /// Selects the response to battle among <paramref name="judgmentsByResponse"/> (one list per kept response of
    /// prompt <paramref name="promptId"/>, judgments in file order): the highest score variance among responses
    /// whose judges disagree (variance above 0, hence ≥ 2 distinct valid judgments), ties broken by the generator
    /// seeded from (run seed, iteration, prompt id). Null, with the reason in <paramref name="skip"/>, when no
    /// response qualifies.
    /// </summary>
    public static BattleTarget? Select(
        long runSeed, int iteration, string promptId, IReadOnlyList<IReadOnlyList<ScoredJudgment>> judgmentsByResponse, out PairSkipReason skip)
    {
        ArgumentNullException.ThrowIfNull(judgmentsByResponse);
        var candidates = new JudgeCandidate[judgmentsByResponse.Count];
        var distinct = new List<ScoredJudgment>[judgmentsByResponse.Count];
        var anyTwoDistinct = false;
        for (var i = 0; i < candidates.Length; i++)
        {
            var judged = judgmentsByResponse[i];
            distinct[i] = DistinctValid(judged);
            anyTwoDistinct |= distinct[i].Count >= 2;
            var scores = new double[judged.Count];
            for (var j = 0; j < scores.Length; j++)
            {
                scores[j] = judged[j].Score.IsValid ? judged[j].Score.Score : double.NaN;
            }

            candidates[i] = new JudgeCandidate(ResponseScore.FromScores(scores), distinct[i].Count);
        }

        var random = DeterministicRandom.For(runSeed, iteration, TieBreakPurpose, promptId);
        var selected = JudgeResponseSelector.Select(candidates, ref random);
        if (selected < 0)
        {
            skip = anyTwoDistinct ? PairSkipReason.JudgmentsAgree : PairSkipReason.TooFewDistinctJudgments;
            return null;
        }

        skip = PairSkipReason.None;
        return new BattleTarget(selected, distinct[selected]);
    }

    /// <summary>The valid judgments, each text once (its first occurrence), in file order.</summary>
    private static List<ScoredJudgment> DistinctValid(IReadOnlyList<ScoredJudgment> judged)
    {
        var texts = new HashSet<string>(StringComparer.Ordinal);
        var distinct = new List<ScoredJudgment>(judged.Count);
        foreach (var judgment in judged)
        {
            if (judgment.Score.IsValid && texts.Add(judgment.Record.Text))
            {
                distinct.Add(judgment);
            }
        }

        return distinct;
    }
}
