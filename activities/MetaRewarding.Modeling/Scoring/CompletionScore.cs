namespace MetaRewarding.Modeling.Scoring;

/// <summary>Summed log-probability of a completion's tokens given its prompt, and how many tokens were summed.</summary>
public readonly record struct CompletionScore(double LogProb, int Tokens);
