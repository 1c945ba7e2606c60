namespace MetaRewarding.Alignment.Templates;

/// <summary>The three roles the one model plays, each with its own template.</summary>
public enum TemplateRole
{
    /// <summary>Answers the prompt. Requires <c>{prompt}</c>.</summary>
    Actor = 0,

    /// <summary>Scores a response. Requires <c>{prompt}</c> and <c>{response}</c>.</summary>
    Judge = 1,

    /// <summary>Picks the better of two judgments. Requires all four placeholders.</summary>
    MetaJudge = 2,
}
