using System.Text.Json.Serialization;

namespace MetaRewarding.Alignment.Datasets;

/// <summary>Which role a preference pair trains.</summary>
public enum PairKind
{
    /// <summary>Two responses to the user prompt.</summary>
    [JsonStringEnumMemberName("actor")]
    Actor = 0,

    /// <summary>Two judgments of one response; the prompt is the judge prompt.</summary>
    [JsonStringEnumMemberName("judge")]
    Judge = 1,
}
