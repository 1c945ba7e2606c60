namespace MetaRewarding.Alignment.Configuration;

/// <summary>How actor preference pairs are chosen from the scored responses of one prompt (docs/ALGORITHM.md step 4).</summary>
public sealed record ActorPairSettings
{
    /// <summary>
    /// ρ, the length-control knob, in [0, 0.5]. 0 is plain best-vs-worst; larger values widen the top tier
    /// (chosen = its shortest response) and the bottom tier (rejected = its longest). Above 0.5 the tiers would
    /// cross and a chosen response could score below the rejected one, so that is rejected by validation.
    /// </summary>
    public double Rho { get; init; }

    /// <summary>Longest chosen response allowed (in <see cref="RunConfiguration.LengthUnit"/>); null: no cap. Paper it.1: 2,500 chars.</summary>
    public int? ChosenMaxLength { get; init; }

    /// <summary>Skip the prompt when score(chosen) − score(rejected) is below this, in [0, 5]. 0 keeps every pair. [choice]</summary>
    public double MinScoreGap { get; init; }
}
