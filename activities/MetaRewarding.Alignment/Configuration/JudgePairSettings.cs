namespace MetaRewarding.Alignment.Configuration;

/// <summary>How judge preference pairs are built from meta-judge battles (docs/ALGORITHM.md step 5).</summary>
public sealed record JudgePairSettings
{
    /// <summary>Longest chosen judgment allowed (in <see cref="RunConfiguration.LengthUnit"/>); null: no cap. Paper: 1,100 chars in it.1, 1,000 in it.2.</summary>
    public int? ChosenMaxLength { get; init; }

    /// <summary>
    /// Count a pair of judgments' battles only when the meta-judge named the same winner in both orders.
    /// Off by default: the paper counts every valid battle and corrects position bias with ω1/ω2. [choice]
    /// </summary>
    public bool RequireConsistentVerdicts { get; init; }

    /// <summary>
    /// λ of the L2 penalty (λ/2)·Σε² added to the Bradley–Terry fit so it stays finite when one judgment wins
    /// everything, in (0, 1]. [choice]
    /// </summary>
    public double EloL2Penalty { get; init; } = 1e-3;
}
