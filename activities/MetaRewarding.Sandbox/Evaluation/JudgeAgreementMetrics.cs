namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>
/// How well judge scores agree with the true scores. Unparsable judgments count as the middle score
/// (<see cref="JudgeAgreement.UnparsableScore"/>), never as exact: otherwise a falling parse rate looks like a
/// rising Spearman (docs/SANDBOX.md). Report all of them together: exact agreement alone can rise while Spearman falls.
/// </summary>
/// <param name="Items">Judgments evaluated.</param>
/// <param name="ParseRate">Share of judgments with a valid <c>Score: k</c>.</param>
/// <param name="Exact">Share whose score equals the true score.</param>
/// <param name="WithinOne">Share within 1 point of the true score.</param>
/// <param name="Spearman">Rank correlation of judge and true scores (ties averaged).</param>
/// <param name="Bias">Mean (judge − true): positive = lenient.</param>
/// <param name="MeanTrueScore">Mean true score, for scale.</param>
public sealed record JudgeAgreementMetrics(int Items, double ParseRate, double Exact, double WithinOne, double Spearman, double Bias, double MeanTrueScore);
