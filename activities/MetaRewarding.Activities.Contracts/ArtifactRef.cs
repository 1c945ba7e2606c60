namespace MetaRewarding.Activities.Contracts;

/// <summary>
/// A file or folder in the artifact store, as workflows see it: its path relative to the store root, the
/// SHA-256 of its content (of the manifest, for a folder) and its size. Workflows pass these, never data.
/// </summary>
/// <param name="Path">Relative to the store root, with '/' separators, e.g. <c>runs/demo/iteration-1/pairs.jsonl</c>.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file, or of a folder's manifest.</param>
/// <param name="Bytes">Size in bytes (a folder: the sum of its files).</param>
public sealed record ArtifactRef(string Path, string Sha256, long Bytes);
