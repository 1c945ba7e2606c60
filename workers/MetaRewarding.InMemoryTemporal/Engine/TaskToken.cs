using Google.Protobuf;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>What a task token names: a workflow task, a query task or one activity attempt.</summary>
internal enum TaskTokenKind : byte
{
    WorkflowTask = 1,
    Query = 2,
    Activity = 3,
}

/// <summary>
/// The opaque token handed to workers. It names the run and the task (scheduled event id and attempt,
/// or the query id) so a stale completion (a timed-out attempt) is recognised and refused.
/// </summary>
internal sealed record TaskToken(TaskTokenKind Kind, string RunId, long ScheduledEventId, long StartedOrAttempt, string QueryId = "")
{
    private const byte FormatVersion = 1;

    public ByteString ToByteString()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(FormatVersion);
            writer.Write((byte)Kind);
            writer.Write(RunId);
            writer.Write(ScheduledEventId);
            writer.Write(StartedOrAttempt);
            writer.Write(QueryId);
        }
        return ByteString.CopyFrom(stream.ToArray());
    }

    public static TaskToken Parse(ByteString token, TaskTokenKind expected)
    {
        if (token is null || token.IsEmpty)
        {
            throw ServerErrors.InvalidArgument("task token is missing: pass the token from the poll response.");
        }
        try
        {
            using var reader = new BinaryReader(new MemoryStream(token.ToByteArray()));
            if (reader.ReadByte() != FormatVersion)
            {
                throw ServerErrors.InvalidArgument("task token was not issued by this server.");
            }
            var kind = (TaskTokenKind)reader.ReadByte();
            var parsed = new TaskToken(kind, reader.ReadString(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadString());
            if (kind != expected)
            {
                throw ServerErrors.InvalidArgument($"task token is for a {kind} task, not a {expected} task.");
            }
            return parsed;
        }
        catch (EndOfStreamException)
        {
            throw ServerErrors.InvalidArgument("task token is malformed (truncated).");
        }
    }
}
