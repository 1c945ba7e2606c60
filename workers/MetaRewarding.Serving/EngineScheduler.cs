using System.Threading.Channels;
using MetaRewarding.Modeling.Generation;

namespace MetaRewarding.Serving;

/// <summary>
/// One scheduling loop over one <see cref="ContinuousBatcher"/>, fed by every HTTP request at once: a request's
/// choices are queued together, and between two decoding steps the loop admits whatever has arrived, so concurrent
/// requests decode in the same batch and a finished row's place goes to the next request (docs/GENERATION.md). The
/// batcher is not thread-safe, so it lives on this loop's own thread; callers await their results.
/// </summary>
internal sealed class EngineScheduler : IDisposable
{
    private readonly Channel<Job> jobs = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<ContinuousBatcher> createBatcher;
    private readonly CancellationTokenSource stopping = new();
    private readonly ManualResetEventSlim admitting = new(initialState: true);
    private readonly Thread thread;
    private BatchingStatistics statistics = new();
    private int queued;

    /// <param name="createBatcher">Makes the batcher (again after an engine failure, which fails the requests in it).</param>
    public EngineScheduler(Func<ContinuousBatcher> createBatcher)
    {
        this.createBatcher = createBatcher;
        thread = new Thread(Loop) { IsBackground = true, Name = "serve-engine" };
        thread.Start();
    }

    /// <summary>What the batchers did so far (peak rows shows requests decoded together).</summary>
    public BatchingStatistics Statistics => Volatile.Read(ref statistics);

    /// <summary>Choices handed in and not yet taken by the loop.</summary>
    public int Queued => Volatile.Read(ref queued);

    /// <summary>
    /// Generates every choice of one request; they are admitted together and in order (so they share their prompt's
    /// prefix). A choice the batcher refuses (a prompt too long, a token outside the vocabulary) fails the request with
    /// its <see cref="ArgumentException"/>; the choices already queued still run and are dropped.
    /// </summary>
    /// <param name="choices">The request's choices, in index order.</param>
    /// <param name="onTokens">For streaming: hears (choice index, its tokens so far) after each step that added some, on the loop's thread (hand them off, do not block).</param>
    public Task<GenerationResult[]> GenerateAsync(
        IReadOnlyList<(GenerationRequest Request, GenerationOptions Options)> choices, Action<int, int[]>? onTokens = null)
    {
        var job = new Job(choices, new TaskCompletionSource<GenerationResult[]>(TaskCreationOptions.RunContinuationsAsynchronously), onTokens);
        Interlocked.Add(ref queued, choices.Count);
        if (!jobs.Writer.TryWrite(job))
        {
            Interlocked.Add(ref queued, -choices.Count);
            throw new ObjectDisposedException(nameof(EngineScheduler), "the server is stopping.");
        }

        return job.Completion.Task;
    }

    /// <summary>Holds new requests back until <see cref="Resume"/> (tests use it to make concurrent requests arrive together).</summary>
    internal void Pause() => admitting.Reset();

    internal void Resume() => admitting.Set();

    public void Dispose()
    {
        jobs.Writer.TryComplete();
        stopping.Cancel();
        admitting.Set();
        thread.Join();
        stopping.Dispose();
        admitting.Dispose();
    }

    private void Loop()
    {
        var batcher = createBatcher();
        var running = new Dictionary<long, (Job Job, int Index)>();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (!batcher.HasWork && !WaitForWork())
                {
                    return;
                }

                admitting.Wait();
                Admit(batcher, running);
                if (!batcher.HasWork)
                {
                    continue;
                }

                try
                {
                    Complete(batcher.Step(), running);
                    Stream(batcher, running);
                    Volatile.Write(ref statistics, batcher.Statistics with { PeakRows = Math.Max(statistics.PeakRows, batcher.Statistics.PeakRows) });
                }
                catch (Exception e)
                {
                    // An engine failure (device memory, a native error) fails what it was decoding, not the server.
                    var failure = new InvalidOperationException($"the engine failed while decoding: {e.Message}", e);
                    foreach (var job in running.Values.Select(r => r.Job).Distinct())
                    {
                        job.Completion.TrySetException(failure);
                    }

                    running.Clear();
                    batcher.Dispose();
                    batcher = createBatcher();
                }
            }
        }
        finally
        {
            var stopped = new ObjectDisposedException(nameof(EngineScheduler), "the server is stopping.");
            foreach (var job in running.Values.Select(r => r.Job).Distinct())
            {
                job.Completion.TrySetException(stopped);
            }

            while (jobs.Reader.TryRead(out var job))
            {
                job.Completion.TrySetException(stopped);
            }

            batcher.Dispose();
        }
    }

    /// <summary>Blocks until a request arrives; false when the server stops.</summary>
    private bool WaitForWork()
    {
        try
        {
            return jobs.Reader.WaitToReadAsync(stopping.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Admit(ContinuousBatcher batcher, Dictionary<long, (Job Job, int Index)> running)
    {
        while (jobs.Reader.TryRead(out var job))
        {
            Interlocked.Add(ref queued, -job.Choices.Count);
            try
            {
                for (var i = 0; i < job.Choices.Count; i++)
                {
                    var (request, options) = job.Choices[i];
                    running[batcher.Submit(request, options)] = (job, i);
                }
            }
            catch (ArgumentException e)
            {
                job.Completion.TrySetException(e);
            }
        }
    }

    private static void Complete(IReadOnlyList<(long Ticket, GenerationResult Result)> finished, Dictionary<long, (Job Job, int Index)> running)
    {
        foreach (var (ticket, result) in finished)
        {
            if (running.Remove(ticket, out var owner))
            {
                owner.Job.Results[owner.Index] = result;
                if (Interlocked.Decrement(ref owner.Job.Remaining) == 0)
                {
                    owner.Job.Completion.TrySetResult(owner.Job.Results);
                }
            }
        }
    }

    /// <summary>Hands the new tokens of every streaming choice still decoding to its request.</summary>
    private static void Stream(ContinuousBatcher batcher, Dictionary<long, (Job Job, int Index)> running)
    {
        foreach (var (ticket, (job, index)) in running)
        {
            if (job.OnTokens is { } onTokens && batcher.GeneratedSoFar(ticket) is { } tokens && tokens.Count > job.Streamed[index])
            {
                job.Streamed[index] = tokens.Count;
                onTokens(index, [.. tokens]);
            }
        }
    }

    private sealed class Job(
        IReadOnlyList<(GenerationRequest Request, GenerationOptions Options)> choices, TaskCompletionSource<GenerationResult[]> completion, Action<int, int[]>? onTokens)
    {
        public int Remaining = choices.Count;

        public Action<int, int[]>? OnTokens { get; } = onTokens;

        /// <summary>Tokens of each choice already handed to <see cref="OnTokens"/>.</summary>
        public int[] Streamed { get; } = new int[choices.Count];

        public IReadOnlyList<(GenerationRequest Request, GenerationOptions Options)> Choices { get; } = choices;

        public TaskCompletionSource<GenerationResult[]> Completion { get; } = completion;

        public GenerationResult[] Results { get; } = new GenerationResult[choices.Count];
    }
}
