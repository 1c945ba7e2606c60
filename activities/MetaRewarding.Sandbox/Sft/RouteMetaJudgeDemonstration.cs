using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Formats;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Sft;

/// <summary>
/// A route meta-judge demonstration: two judgments of one response, the point where they first disagree, the
/// check's label (the truth flipped with the judge labels' rate) and the winner that label implies. Only pairs
/// where the clean check picks the judgment with fewer errors are generated, so the rule and the truth agree
/// and the label noise is the only noise.
/// </summary>
public sealed record RouteMetaJudgeDemonstration(
    RouteTask Task,
    string Response,
    string JudgmentA,
    string JudgmentB,
    DisagreementPoint Point,
    bool CheckTruth,
    bool CheckLabel,
    VerdictPosition TrueWinner,
    VerdictPosition LabelWinner)
{
    /// <summary>The completion the meta-judge is trained on.</summary>
    public string Completion => WitnessMetaJudgmentFormat.Format(Point, CheckLabel, LabelWinner);
}
