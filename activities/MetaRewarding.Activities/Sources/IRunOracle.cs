namespace MetaRewarding.Activities.Sources;

/// <summary>
/// Ground truth for a run whose answers a program can check (the sandbox). It drives the control arms — the oracle
/// judge and the oracle meta-judge — and measures pair precision; the loop never sees it otherwise.
/// </summary>
public interface IRunOracle
{
    /// <summary>The true score of <paramref name="response"/> to <paramref name="prompt"/> (the prompt pool's text).</summary>
    int Score(string prompt, string response);

    /// <summary>What a perfect judge writes, in the judge's format.</summary>
    string Judgment(string prompt, string response);

    /// <summary>
    /// What a perfect meta-judge writes for judgments <paramref name="judgmentA"/> and <paramref name="judgmentB"/>
    /// (shown in that order); when neither is better, the one shown first wins, so across both orders the two
    /// battles cancel.
    /// </summary>
    string MetaJudgment(string prompt, string response, string judgmentA, string judgmentB);

    /// <summary>
    /// How the two judgments compare against the truth: negative when <paramref name="judgmentA"/> is better,
    /// positive when <paramref name="judgmentB"/> is, 0 when neither is.
    /// </summary>
    int CompareJudgments(string prompt, string response, string judgmentA, string judgmentB);
}
