using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Sandbox.Sft;

/// <summary>
/// The balance rule both meta-judge demonstration generators follow (constraint: <see cref="SftDataset"/>; route:
/// <see cref="RouteMetaDemonstrations"/>): a fair coin per demonstration decides whether, when the two judgments'
/// scores differ, the better judgment is the higher-scored one; candidates that disagree with the coin are re-drawn,
/// so the shortcut "the higher score wins" is right half the time in expectation and earns nothing.
/// </summary>
internal static class MetaJudgeBalance
{
    /// <summary>
    /// Responses tried per demonstration: about half the candidates are accepted, so 1,000 tries fail with negligible
    /// probability; the last usable candidate is taken if they ever do.
    /// </summary>
    public const int MaxResponses = 1_000;

    /// <summary>Judgment pairs drawn per response: judgments are cheap and the response is not.</summary>
    public const int JudgmentDrawsPerResponse = 8;

    /// <summary>Whether a candidate whose better judgment is <paramref name="better"/> keeps the coin's side (equal scores always do).</summary>
    public static bool Keeps(double? scoreA, double? scoreB, VerdictPosition better, bool higherShouldWin) =>
        scoreA == scoreB || (better == VerdictPosition.A) == (scoreA > scoreB) == higherShouldWin;
}
