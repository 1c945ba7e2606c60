using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Evaluation;
using MetaRewarding.Sandbox.Formats;

namespace MetaRewarding.Sandbox.Tasks;

/// <summary>
/// One synthetic task: its compact prompt, its ground-truth rubric and the generators the SFT data needs.
/// Implementations are immutable records, so tasks compare by value.
/// </summary>
public interface ISandboxTask
{
    /// <summary>Which family the task is from.</summary>
    TaskFamily Family { get; }

    /// <summary>The compact prompt, e.g. <c>C 5 c e</c> (the actor template adds the newline).</summary>
    string Prompt { get; }

    /// <summary>The symbols a well-formed answer may use (a–h or 0–9).</summary>
    string AnswerSymbols { get; }

    /// <summary>The 5 rubric criteria in mark order, e.g. format, length, start, contains, no repeat.</summary>
    IReadOnlyList<string> Criteria { get; }

    /// <summary>
    /// The criterion each content error of <see cref="Corrupt"/> breaks, by error kind: entry k is the index in
    /// <see cref="Criteria"/> that error kind k always violates.
    /// </summary>
    IReadOnlyList<int> ContentErrorCriteria { get; }

    /// <summary>The ground truth: one mark per criterion for <paramref name="response"/> (a full actor response, <c>A: …</c>).</summary>
    bool[] Marks(string response);

    /// <summary>A uniformly random correct answer (letters only, without <c>A: </c>).</summary>
    string SampleCorrectAnswer(SandboxRandom random);

    /// <summary>
    /// <paramref name="answer"/> with one content error of kind <paramref name="errorKind"/> (an index into
    /// <see cref="ContentErrorCriteria"/>). Applied to a correct answer the targeted criterion is always violated;
    /// after earlier errors the caller checks with <see cref="Marks"/>.
    /// </summary>
    string Corrupt(string answer, int errorKind, SandboxRandom random);

    /// <summary>
    /// A judgment in this family's format with <paramref name="marks"/> (and, where the family cites one, the
    /// <paramref name="witness"/> of a failed mark), e.g. <c>++-+- Score: 3</c> or <c>+++-+ bd Score: 4</c>.
    /// </summary>
    string Judgment(IReadOnlyList<bool> marks, string? witness) => JudgmentFormat.Format(marks);

    /// <summary>What a perfect judge writes for <paramref name="response"/>: the oracle judgment.</summary>
    string TrueJudgment(string response) => JudgmentFormat.Format(Marks(response));

    /// <summary>How wrong <paramref name="judgment"/> of <paramref name="response"/> is (the quantity a meta-judge's winner minimises).</summary>
    JudgmentError ErrorOf(string response, ModelCompletion judgment) => JudgmentError.Of(judgment, Marks(response));

    /// <summary>
    /// What a perfect meta-judge writes for two judgments of <paramref name="response"/> shown as A then B: the
    /// one with the smaller <see cref="ErrorOf"/> wins; when neither is better, A (the one shown first), so the
    /// two orders of a battle cancel.
    /// </summary>
    string TrueMetaJudgment(string response, ModelCompletion judgmentA, ModelCompletion judgmentB)
    {
        var truth = Marks(response);
        var errorA = ErrorOf(response, judgmentA);
        var errorB = ErrorOf(response, judgmentB);
        var winner = errorA <= errorB ? VerdictPosition.A : VerdictPosition.B;
        return MetaJudgmentFormat.Format(truth, Math.Min(errorA.WrongMarks, Rubric.CriterionCount), Math.Min(errorB.WrongMarks, Rubric.CriterionCount), winner);
    }
}
