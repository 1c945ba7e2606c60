namespace MetaRewarding.Activities.Artifacts;

/// <summary>How much of a folder artifact <see cref="ArtifactStore.Resolve"/> re-reads.</summary>
public enum ArtifactCheck
{
    /// <summary>Re-hash every file against the manifest (files always get this).</summary>
    Full = 0,

    /// <summary>Check the manifest's own hash and that every file it lists exists: cheap for multi-GB checkpoints.</summary>
    ManifestOnly = 1,
}
