using MetaRewarding.Alignment.Scoring;

namespace MetaRewarding.Alignment.Pairs;

/// <summary>One response of a prompt as judge-pair selection sees it: its score statistics and how many distinct valid judgments it has.</summary>
public readonly record struct JudgeCandidate(ResponseScore Score, int DistinctValidJudgments);
