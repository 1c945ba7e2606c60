namespace MetaRewarding.Activities.Contracts;

/// <summary>DPO of M_t on the iteration's pairs into M_{t+1}.</summary>
public sealed record TrainingInput(IterationContext Context, ArtifactRef Pairs);
