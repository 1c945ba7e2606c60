namespace MetaRewarding.Activities.Contracts;

/// <summary>Who scores the actor's responses.</summary>
public enum JudgeMode
{
    /// <summary>The model itself, with the judge template: Meta-Rewarding proper.</summary>
    Model = 0,

    /// <summary>
    /// Ground-truth scores from the sandbox's rubric (sandbox runs only): the control that shows what the loop
    /// achieves with a perfect judge. No judge pairs are built in this mode.
    /// </summary>
    Oracle = 1,

    /// <summary>
    /// Scores drawn at random (seeded): the judge-free baseline. Actor pairs are then random pairs of the model's
    /// own samples, so with the NLL term (<c>dpo.rpoAlpha</c>) the loop is self-distillation on its own samples:
    /// what any gain of the judged arms must beat (docs/SANDBOX.md, "Controls"). No judge pairs.
    /// </summary>
    Random = 2,
}
