using MetaRewarding.Alignment.Scoring;

namespace MetaRewarding.Alignment.Pairs;

/// <summary>One response of a prompt, as actor-pair selection sees it.</summary>
public readonly record struct ActorCandidate(string Text, int Length, ResponseScore Score);
