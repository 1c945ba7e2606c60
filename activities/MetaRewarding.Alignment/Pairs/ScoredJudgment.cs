using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Alignment.Pairs;

/// <summary>A judgment and the score parsed from its text (the judge's completion only: docs/ALGORITHM.md step 3).</summary>
public readonly record struct ScoredJudgment(JudgmentRecord Record, ScoreParseResult Score)
{
    /// <summary>Parses <paramref name="record"/>'s text with <see cref="JudgeScoreParser"/>.</summary>
    public static ScoredJudgment Parse(JudgmentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ScoredJudgment(record, JudgeScoreParser.Parse(new ModelCompletion(record.Text)));
    }
}
