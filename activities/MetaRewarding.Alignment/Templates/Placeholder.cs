namespace MetaRewarding.Alignment.Templates;

/// <summary>A value a template can insert. Spelled in templates as <c>{prompt}</c>, <c>{response}</c>, <c>{judgmentA}</c>, <c>{judgmentB}</c>.</summary>
public enum Placeholder
{
    /// <summary><c>{prompt}</c>: the user's instruction.</summary>
    Prompt = 0,

    /// <summary><c>{response}</c>: the actor's response being judged.</summary>
    Response = 1,

    /// <summary><c>{judgmentA}</c>: the judgment shown in the first position.</summary>
    JudgmentA = 2,

    /// <summary><c>{judgmentB}</c>: the judgment shown in the second position.</summary>
    JudgmentB = 3,
}
