namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>The calibration gate's decision, the catch rates it was based on, and why.</summary>
public sealed record CalibrationResult(bool Passed, IReadOnlyList<CriterionCatchRate> Checked, string Reason);
