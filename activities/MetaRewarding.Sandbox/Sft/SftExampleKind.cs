namespace MetaRewarding.Sandbox.Sft;

/// <summary>Which role an SFT example teaches.</summary>
public enum SftExampleKind
{
    /// <summary>Actor prompt → <c>A: answer</c>.</summary>
    Actor = 0,

    /// <summary>Judge prompt → <c>++-+- Score: 3</c>.</summary>
    Judge = 1,

    /// <summary>Meta-judge prompt → <c>++-+- 0 2 Winner: Judgment A</c>.</summary>
    MetaJudge = 2,
}
