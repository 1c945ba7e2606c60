using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Scoring;

namespace MetaRewarding.Alignment.Pairs;

/// <summary>One response of a prompt as judge-pair selection sees it: its score statistics and how many distinct valid judgments it has.</summary>
public readonly record struct JudgeCandidate(ResponseScore Score, int DistinctValidJudgments)
{
    /// <summary>
    /// The candidate for <paramref name="response"/>, as the meta-judge activity and pair building both see it. A
    /// truncated or skipped response is never battled (as NeMo-Aligner drops samples that did not end): it counts as
    /// having no distinct valid judgments.
    /// </summary>
    public static JudgeCandidate For(ResponseRecord response, ResponseScore score, int distinctValidJudgments)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new JudgeCandidate(score, CompletionFinish.IsComplete(response.FinishReason) ? distinctValidJudgments : 0);
    }
}
