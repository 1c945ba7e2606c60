namespace MetaRewarding.Activities.Contracts;

/// <summary>Makes M_0: the base model as given, or after the optional seed SFT (a sandbox run always trains its seed).</summary>
public sealed record SeedInput(string RunId, ArtifactRef Run);
