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
}
