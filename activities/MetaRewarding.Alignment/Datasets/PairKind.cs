namespace MetaRewarding.Alignment.Datasets;

/// <summary>Which role a preference pair trains.</summary>
public enum PairKind
{
    /// <summary>Two responses to the user prompt.</summary>
    Actor = 0,

    /// <summary>Two judgments of one response; the prompt is the judge prompt.</summary>
    Judge = 1,
}
