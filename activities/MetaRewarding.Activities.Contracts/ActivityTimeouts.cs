namespace MetaRewarding.Activities.Contracts;

/// <summary>
/// Heartbeat timeouts of the model activities: how long the server waits for a heartbeat before it declares the
/// worker dead and schedules the activity again (on any worker of the queue). The defaults suit production: a
/// big model may pause minutes between heartbeats (loading weights, a long forward pass). Tests that kill
/// worker processes shorten them so a lost activity is retried in seconds; they must stay well above the
/// activities' heartbeat interval (<c>ModelActivitiesOptions.HeartbeatInterval</c>, 2 s by default).
/// </summary>
public sealed record ActivityTimeouts
{
    /// <summary>Generation, judging, meta-judging and evaluation shards.</summary>
    public TimeSpan ModelShardHeartbeat { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Seed SFT and DPO training.</summary>
    public TimeSpan TrainingHeartbeat { get; init; } = TimeSpan.FromMinutes(5);
}
