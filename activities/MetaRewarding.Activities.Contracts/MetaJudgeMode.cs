namespace MetaRewarding.Activities.Contracts;

/// <summary>Who decides the battles between judgments, in iterations that train the judge.</summary>
public enum MetaJudgeMode
{
    /// <summary>The model itself, with the meta-judge template: Meta-Rewarding proper.</summary>
    Model = 0,

    /// <summary>
    /// The true verdict (sandbox runs only): the control that shows what judge training could reach with a perfect
    /// meta-judge, and so whether a failing judge comes from the meta-judge or from judge training itself.
    /// </summary>
    Oracle = 1,
}
