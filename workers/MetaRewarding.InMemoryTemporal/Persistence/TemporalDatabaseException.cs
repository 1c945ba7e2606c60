namespace MetaRewarding.InMemoryTemporal;

/// <summary>
/// The database file given to the server (<see cref="InMemoryTemporalServerOptions.DatabaseFile"/>) cannot be used:
/// newer schema, corrupt, locked by another process, another namespace's. The message names the file, the problem and
/// the fix; the file is left exactly as it was.
/// </summary>
public sealed class TemporalDatabaseException : Exception
{
    public TemporalDatabaseException()
    {
    }

    public TemporalDatabaseException(string message)
        : base(message)
    {
    }

    public TemporalDatabaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
