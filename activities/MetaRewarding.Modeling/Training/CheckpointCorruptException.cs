namespace MetaRewarding.Modeling.Training;

/// <summary>A checkpoint folder failed verification: a file is missing, or its SHA-256 differs from the manifest.</summary>
public sealed class CheckpointCorruptException : Exception
{
    public CheckpointCorruptException()
    {
    }

    public CheckpointCorruptException(string message)
        : base(message)
    {
    }

    public CheckpointCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
