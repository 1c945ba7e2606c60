using MetaRewarding.Modeling.Llama;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Generation;

/// <summary>
/// Continuous batching over one model. Requests wait in arrival order; every <see cref="Step"/> first admits waiting
/// requests into free rows (up to <see cref="BatchingOptions.MaxBatchSize"/> rows and the KV-cache token budget), then
/// decodes one token for every running row. A finished row's place goes to the next request at once, so a batch no
/// longer runs at the speed of its longest row.
/// <para>
/// Admitting a request prefills all its prompt tokens but the last into its row of the <see cref="SlotKvCache"/>,
/// copying the longest prefix a <see cref="PrefixCache"/> entry shares with it instead of computing it; the last prompt
/// token is then fed by the decoding step like a generated one, which samples the first new token from it. When a
/// waiting request shares a prefix with the one just admitted, that prefix is kept for it.
/// </para>
/// <para>
/// Each row samples from its own counter-based random stream (<see cref="RequestRandom"/>) and attends only to its
/// own positions, so a request's completion does not depend on its batch mates (up to floating-point rounding of
/// different matrix shapes). Not thread-safe: one thread submits and steps.
/// </para>
/// </summary>
public sealed class ContinuousBatcher : IDisposable
{
    private const int CapacityGranule = 16;

    private readonly LlamaForCausalLM model;
    private readonly BatchingOptions options;
    private readonly Func<IReadOnlyList<int>, string>? decode;
    private readonly LinkedList<Pending> waiting = new();
    private readonly List<Row> rows = [];
    private readonly PrefixCache prefixes;
    private SlotKvCache? cache;
    private long nextTicket;
    private BatchingStatistics statistics = new();

    /// <param name="model">The model (left in eval mode; no gradients are recorded).</param>
    /// <param name="options">Batch size, KV budget, prefix sharing.</param>
    /// <param name="decode">Turns completion ids into text; needed for stop strings and for <see cref="GenerationResult.Text"/>.</param>
    public ContinuousBatcher(LlamaForCausalLM model, BatchingOptions options, Func<IReadOnlyList<int>, string>? decode = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.model = model;
        this.options = options;
        this.decode = decode;
        prefixes = new PrefixCache(options.SharePrefixes ? options.PrefixCacheTokens : 0);
    }

    /// <summary>Requests not yet admitted.</summary>
    public int Waiting => waiting.Count;

    /// <summary>Requests decoding.</summary>
    public int Running => rows.Count;

    /// <summary>Whether a <see cref="Step"/> has anything to do.</summary>
    public bool HasWork => waiting.Count > 0 || rows.Count > 0;

    public BatchingStatistics Statistics => statistics;

    /// <summary>
    /// The tokens the request <paramref name="ticket"/> has generated so far (end-of-sequence excluded), or null when it is
    /// not decoding (waiting, or finished): what a streaming caller sends between steps. A view, valid until the next step.
    /// </summary>
    public IReadOnlyList<int>? GeneratedSoFar(long ticket) => rows.Find(r => r.Pending.Ticket == ticket)?.Generated;

    /// <summary>
    /// Queues <paramref name="request"/> to be sampled with <paramref name="sampling"/> (its batch fields are ignored:
    /// batching is this batcher's). Returns the ticket its result comes back with from <see cref="Step"/>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Invalid sampling settings, an empty prompt or one with ids outside the vocabulary, stop strings without a decoder,
    /// or a prompt plus max new tokens beyond the model's context or the KV-cache budget.
    /// </exception>
    public long Submit(GenerationRequest request, GenerationOptions sampling)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sampling);
        sampling.Validate();
        if (sampling.StopStrings.Count > 0 && decode is null)
        {
            throw new ArgumentException("stop strings need a decoder: construct the generator with a decode callback (e.g. the tokenizer's Decode).");
        }

        var prompt = request.PromptIds;
        if (prompt is null || prompt.Count == 0)
        {
            throw new ArgumentException("the prompt is empty; give at least one token (e.g. the BOS id).");
        }

        var vocab = model.Config.VocabSize;
        foreach (var bad in prompt.Where(id => id < 0 || id >= vocab).Take(1))
        {
            throw new ArgumentException($"token id {bad} is outside the vocabulary [0, {vocab}).");
        }

        if (ContextWindow.Problem(model.Config, prompt.Count, sampling.MaxNewTokens) is { } tooLong)
        {
            throw new ArgumentException(tooLong + ".");
        }

        var need = (long)prompt.Count + sampling.MaxNewTokens;

        if (options.KvCacheTokens is { } budget && need > budget)
        {
            throw new ArgumentException($"prompt + max new tokens = {need} positions exceeds the KV-cache budget of {budget}; raise the budget or lower max new tokens.");
        }

        var ticket = nextTicket++;
        waiting.AddLast(new Pending(ticket, [.. prompt], request.Seed, sampling, [.. sampling.EosTokenIds ?? model.Config.EosTokenIds]));
        return ticket;
    }

    /// <summary>Admits what fits, then decodes one token for every running row. Returns the requests that finished.</summary>
    public IReadOnlyList<(long Ticket, GenerationResult Result)> Step(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var noGrad = no_grad();
        Admit();
        if (rows.Count == 0)
        {
            return [];
        }

        return Decode();
    }

    public void Dispose()
    {
        cache?.Dispose();
        prefixes.Dispose();
    }

    private void Admit()
    {
        while (waiting.First is { } head && rows.Count < options.MaxBatchSize)
        {
            var pending = head.Value;
            if (!EnsureRoom(pending.Need))
            {
                return; // wait for running rows to finish; later requests wait behind this one (arrival order).
            }

            waiting.RemoveFirst();
            rows.Add(Prefill(pending));
        }
    }

    /// <summary>Makes the cache hold one more row of <paramref name="need"/> positions, growing it when the budget allows.</summary>
    private bool EnsureRoom(long need)
    {
        if (cache is not null && need <= cache.Capacity && cache.Rows < cache.Slots)
        {
            return true;
        }

        var capacity = Math.Max(need, cache?.Capacity ?? 0);
        if (cache is null)
        {
            // Size the first allocation for the longest request in sight, not just the first one.
            capacity = Math.Max(capacity, waiting.Take(Math.Max(options.LookAhead, 1)).Max(p => p.Need));
        }

        capacity = Math.Min(RoundUp(capacity), model.Config.MaxPositionEmbeddings);
        var slots = (int)Math.Min(options.MaxBatchSize, (options.KvCacheTokens ?? (long)options.MaxBatchSize * capacity) / capacity);
        if (cache is not null && slots <= cache.Slots && capacity <= cache.Capacity)
        {
            return false; // as large as the budget allows, and full
        }

        if (slots <= rows.Count)
        {
            return false;
        }

        cache = cache is null ? new SlotKvCache(model.Config, slots, capacity, model.Dtype, model.Device) : cache.Resize(model.Config, slots, capacity);
        return true;
    }

    private static long RoundUp(long positions) => (positions + CapacityGranule - 1) / CapacityGranule * CapacityGranule;

    private Row Prefill(Pending pending)
    {
        var slot = cache!.AddRow();
        var prompt = pending.Prompt;
        var cached = prompt.Length - 1; // the last prompt token is fed by the decoding step
        var reused = 0;
        if (options.SharePrefixes && cached >= options.MinSharedPrefixTokens)
        {
            var (entry, length) = prefixes.LongestMatch(prompt, cached);
            if (entry is not null && length >= options.MinSharedPrefixTokens)
            {
                cache.CopyPrefix(slot, entry, length);
                reused = length;
            }
        }

        if (cached > reused)
        {
            using var scope = NewDisposeScope();
            var suffix = tensor(prompt.AsSpan(reused, cached - reused).ToArray().Select(id => (long)id).ToArray(), [1, cached - reused], device: model.Device);
            model.Prefill(suffix, reused, cache.PrefillWriter(slot, reused));
        }

        statistics = statistics with { PrefillTokens = statistics.PrefillTokens + cached - reused, ReusedPrefixTokens = statistics.ReusedPrefixTokens + reused };
        if (options.SharePrefixes)
        {
            KeepPrefixForLaterRequests(slot, prompt, cached, reused);
        }

        return new Row(pending, cached);
    }

    /// <summary>When a waiting request shares more of this prompt than any kept prefix already covers, keep that much.</summary>
    private void KeepPrefixForLaterRequests(int slot, int[] prompt, int cached, int reused)
    {
        var shared = 0;
        foreach (var later in waiting.Take(options.LookAhead))
        {
            shared = Math.Max(shared, PrefixCache.CommonPrefixLength(prompt, later.Prompt, Math.Min(cached, later.Prompt.Length - 1)));
        }

        if (shared >= options.MinSharedPrefixTokens && shared > reused)
        {
            prefixes.Add(cache!.Snapshot(slot, prompt[..shared]));
        }
    }

    private List<(long Ticket, GenerationResult Result)> Decode()
    {
        var finished = new List<(long, GenerationResult)>();
        var count = rows.Count;
        var device = model.Device;
        double[] chosen;
        using (var scope = NewDisposeScope())
        {
            var inputs = tensor(rows.Select(r => (long)r.NextInput).ToArray(), [count, 1], device: device);
            var positions = tensor(rows.Select(r => (long)r.CacheLength).ToArray(), device: device);
            var attend = rows.Max(r => r.CacheLength) + 1L;
            // Row r may attend to its positions 0..CacheLength (the new token included): [rows, 1, 1, attend].
            var keyMask = arange(attend, device: device).unsqueeze(0).le(positions.unsqueeze(1)).view(count, 1, 1, attend);
            var logits = model.DecodeStep(inputs, positions.unsqueeze(1), keyMask, cache!.DecodeWriter(positions, attend));
            var next = Sample(logits);
            var logProbs = logits.gather(1, next.unsqueeze(1)).squeeze(1) - logits.logsumexp(1);
            // The one host sync per step: both the tokens (exact in float64) and their log-probabilities.
            chosen = stack([next.to_type(ScalarType.Float64), logProbs.to_type(ScalarType.Float64)]).cpu().data<double>().ToArray();
        }

        var generated = 0L;
        for (var i = 0; i < count; i++)
        {
            var row = rows[i];
            generated += row.Accept((int)chosen[i], chosen[count + i], decode);
        }

        statistics = statistics with
        {
            DecodeSteps = statistics.DecodeSteps + 1,
            RowSteps = statistics.RowSteps + count,
            PeakRows = Math.Max(statistics.PeakRows, count),
            GeneratedTokens = statistics.GeneratedTokens + generated,
        };

        // Free finished rows from the back, so the row moved into a freed slot is always a running one.
        for (var i = count - 1; i >= 0; i--)
        {
            if (rows[i].Reason is not { } reason)
            {
                continue;
            }

            var row = rows[i];
            finished.Add((row.Pending.Ticket, row.Result(reason, decode)));
            var last = rows.Count - 1;
            cache!.RemoveRow(i, rows[last].CacheLength);
            rows[i] = rows[last];
            rows.RemoveAt(last);
        }

        statistics = statistics with { Finished = statistics.Finished + finished.Count };
        finished.Reverse();
        return finished;
    }

    /// <summary>Next token per row [rows] (int64), rows with the same sampling settings sampled together.</summary>
    private Tensor Sample(Tensor logits)
    {
        var groups = rows.Select((row, index) => (row, index)).GroupBy(x => x.row.Pending.SamplingKey).ToList();
        if (groups.Count == 1)
        {
            return SampleRows(logits, rows, rows[0].Pending.Sampling);
        }

        var next = zeros(rows.Count, ScalarType.Int64, model.Device);
        foreach (var group in groups)
        {
            var index = tensor(group.Select(x => (long)x.index).ToArray(), device: model.Device);
            var groupRows = group.Select(x => x.row).ToList();
            next.index_copy_(0, index, SampleRows(logits.index_select(0, index), groupRows, groupRows[0].Pending.Sampling));
        }

        return next;
    }

    private Tensor SampleRows(Tensor logits, IReadOnlyList<Row> sampled, GenerationOptions sampling)
    {
        var uniforms = sampling.Greedy
            ? null
            : tensor(sampled.Select(r => (float)RequestRandom.Uniform(r.Pending.Seed, r.Generated.Count)).ToArray(), device: model.Device);
        return TokenSampler.Next(logits, sampling, uniforms);
    }

    private sealed record Pending(long Ticket, int[] Prompt, long Seed, GenerationOptions Sampling, HashSet<int> Eos)
    {
        public long Need => (long)Prompt.Length + Sampling.MaxNewTokens;

        public (bool, double, double, int) SamplingKey => (Sampling.Greedy, Sampling.Temperature, Sampling.TopP, Sampling.TopK);
    }

    /// <summary>A running request: what its next decoding step feeds and where, and what it has produced.</summary>
    private sealed class Row(Pending pending, int cacheLength)
    {
        private string? stopText;

        public Pending Pending { get; } = pending;

        /// <summary>Positions of its slot holding keys and values (the next token is written at this index).</summary>
        public int CacheLength { get; private set; } = cacheLength;

        public int NextInput { get; private set; } = pending.Prompt[^1];

        public List<int> Generated { get; } = [];

        public List<double> LogProbs { get; } = [];

        public FinishReason? Reason { get; private set; }

        /// <summary>Takes the sampled <paramref name="token"/>; returns the tokens produced (1).</summary>
        public int Accept(int token, double logProb, Func<IReadOnlyList<int>, string>? decode)
        {
            CacheLength++;
            NextInput = token;
            var sampling = Pending.Sampling;
            if (Pending.Eos.Contains(token))
            {
                Reason = FinishReason.Eos;
                return 1;
            }

            Generated.Add(token);
            LogProbs.Add(logProb);
            if (sampling.StopStrings.Count > 0 && StopText(decode!, sampling.StopStrings) is { } text)
            {
                stopText = text;
                Reason = FinishReason.Stop;
            }
            else if (Generated.Count >= sampling.MaxNewTokens)
            {
                Reason = FinishReason.Length;
            }

            return 1;
        }

        public GenerationResult Result(FinishReason reason, Func<IReadOnlyList<int>, string>? decode) =>
            new(Generated, stopText ?? decode?.Invoke(Generated), reason) { TokenLogProbs = LogProbs };

        /// <summary>
        /// The text before the first stop string, once one appears. Only the tail is decoded each step (a new match must
        /// end in the newest token); the whole completion is decoded once a tail matches, to cut at the first match.
        /// </summary>
        private string? StopText(Func<IReadOnlyList<int>, string> decode, IReadOnlyList<string> stops)
        {
            var tailTokens = stops.Max(s => s.Length) + 8;
            var tail = decode(Generated.Count <= tailTokens ? Generated : Generated.GetRange(Generated.Count - tailTokens, tailTokens));
            if (!stops.Any(s => tail.Contains(s, StringComparison.Ordinal)))
            {
                return null;
            }

            var text = decode(Generated);
            var cut = stops.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
            return cut >= 0 ? text[..cut] : null;
        }
    }
}
