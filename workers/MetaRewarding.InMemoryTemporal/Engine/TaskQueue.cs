using System.Threading.Channels;

namespace MetaRewarding.InMemoryTemporal.Engine;

/// <summary>
/// A long-poll queue of task references. Entries can go stale (an activity timed out, a run was
/// terminated): the engine checks each one when it is taken and skips those no longer valid, which
/// keeps the queue free of locking against the executions.
/// </summary>
internal sealed class TaskQueue<T>
{
    private readonly Channel<T> channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    public void Add(T item) => channel.Writer.TryWrite(item);

    /// <summary>Waits for the next entry that <paramref name="claim"/> accepts, or null at the timeout.</summary>
    public async Task<TResult?> PollAsync<TResult>(Func<T, TResult?> claim, TimeSpan timeout, CancellationToken cancellationToken)
        where TResult : class
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var item = await channel.Reader.ReadAsync(timeoutSource.Token).ConfigureAwait(false);
                var claimed = claim(item);
                if (claimed is not null)
                {
                    return claimed;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
