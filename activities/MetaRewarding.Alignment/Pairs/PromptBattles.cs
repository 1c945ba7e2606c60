using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Elo;
using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Alignment.Templates;

namespace MetaRewarding.Alignment.Pairs;

/// <summary>
/// One prompt's meta-judge battles (docs/ALGORITHM.md steps 5a–5b): the response <see cref="BattleTarget"/> selects,
/// its distinct valid judgments, and every pair of them in both orders (<see cref="BattlePlan"/>). The meta-judge
/// activity renders these; pair building checks the meta-judgments on file against the same rule.
/// </summary>
public sealed record PromptBattles(ResponseRecord Response, IReadOnlyList<JudgmentRecord> Judgments, Battle[] Battles)
{
    /// <summary>
    /// The meta-judge template's values for battle <paramref name="battle"/> of this response to <paramref name="prompt"/>:
    /// judgment A is the battle's first, B its second. With <paramref name="hideScores"/>
    /// (<c>judgePairs.hideScoresFromMetaJudge</c>) every <c>Score: n</c> is removed from both judgments
    /// (<see cref="JudgeScoreParser.WithoutScores"/>), so the meta-judge weighs the reasoning, not the number.
    /// </summary>
    public TemplateValues Values(string prompt, Battle battle, bool hideScores)
    {
        string Shown(JudgmentRecord judgment) => hideScores ? JudgeScoreParser.WithoutScores(new ModelCompletion(judgment.Text)) : judgment.Text;
        return new TemplateValues(prompt, Response.Text, Shown(Judgments[battle.First]), Shown(Judgments[battle.Second]));
    }

    /// <summary>
    /// The battles of every prompt of a shard that has a response to battle, in prompt (file) order: exact duplicate
    /// responses dropped (<see cref="DuplicateResponses"/>), judgments matched to responses by id in file order,
    /// then <see cref="BattleTarget.Select"/> per prompt.
    /// </summary>
    public static List<PromptBattles> Plan(long runSeed, int iteration, IEnumerable<ResponseRecord> responses, IEnumerable<JudgmentRecord> judgments)
    {
        var judgmentsByResponse = judgments.GroupBy(j => j.ResponseId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(ScoredJudgment.Parse).ToList(), StringComparer.Ordinal);
        var plans = new List<PromptBattles>();
        foreach (var group in DuplicateResponses.Drop(responses).GroupBy(r => r.PromptId, StringComparer.Ordinal))
        {
            var kept = group.ToList();
            var judged = kept.ConvertAll(r => (IReadOnlyList<ScoredJudgment>)(judgmentsByResponse.GetValueOrDefault(r.Id) ?? []));
            if (BattleTarget.Select(runSeed, iteration, group.Key, judged, out _) is { } target)
            {
                var battled = target.Judgments.Select(j => j.Record).ToList();
                plans.Add(new PromptBattles(kept[target.Response], battled, BattlePlan.Create(battled.Count)));
            }
        }

        return plans;
    }
}
