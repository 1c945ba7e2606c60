namespace MetaRewarding.Alignment.Elo;

/// <summary>One meta-judge call: judgment <see cref="First"/> shown as Judgment A, <see cref="Second"/> as Judgment B (indices into the battled judgments).</summary>
public readonly record struct Battle(int First, int Second);
