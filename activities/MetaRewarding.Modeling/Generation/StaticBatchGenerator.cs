using MetaRewarding.Modeling.Llama;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Generation;

/// <summary>
/// Static batching, kept as the baseline that <c>bench</c> compares <see cref="TokenGenerator"/>'s continuous batching
/// against: requests are cut into fixed batches; prompts of different lengths are left-padded and masked, so every
/// row's next token sits in the last column; finished rows are dropped, never refilled, so a batch ends at the speed
/// of its longest row, and every request prefills its whole prompt. Positions count real tokens only, so a padded row
/// computes what it would alone; each row samples with its own counter-based random stream (see <see cref="RequestRandom"/>).
/// </summary>
public sealed class StaticBatchGenerator
{
    private readonly LlamaForCausalLM model;
    private readonly Func<IReadOnlyList<int>, string>? decode;

    /// <param name="model">The model to decode with (left in eval mode; no gradients are recorded).</param>
    /// <param name="decode">Turns completion ids into text; needed for stop strings and for <see cref="GenerationResult.Text"/>.</param>
    public StaticBatchGenerator(LlamaForCausalLM model, Func<IReadOnlyList<int>, string>? decode = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
        this.decode = decode;
    }

    /// <summary>Completes every request; results are in request order. Cancellation is checked before every decoding step.</summary>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> requests, GenerationOptions options,
        CancellationToken cancellationToken = default) => Generate(requests, options, progress: null, cancellationToken);

    /// <summary>
    /// As <see cref="Generate(IReadOnlyList{GenerationRequest}, GenerationOptions, CancellationToken)"/>;
    /// <paramref name="progress"/> hears the number of completed requests after each batch (e.g. to heartbeat).
    /// </summary>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> requests, GenerationOptions options,
        IProgress<int>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.StopStrings.Count > 0 && decode is null)
        {
            throw new ArgumentException("stop strings need a decoder: construct the generator with a decode callback (e.g. the tokenizer's Decode).");
        }
        for (var i = 0; i < requests.Count; i++)
        {
            ValidatePrompt(requests[i].PromptIds, i);
        }
        if (options.PadTokenId < 0 || options.PadTokenId >= model.Config.VocabSize)
        {
            throw new ArgumentException($"pad token id {options.PadTokenId} is outside the vocabulary [0, {model.Config.VocabSize}).");
        }
        var eos = (options.EosTokenIds ?? model.Config.EosTokenIds).ToHashSet();
        var results = new GenerationResult[requests.Count];
        // Similar lengths in one batch waste less compute on padding; results do not depend on the grouping.
        var order = Enumerable.Range(0, requests.Count).OrderByDescending(i => requests[i].PromptIds.Count).ToArray();
        using var _ = no_grad();
        var completed = 0;
        foreach (var chunk in order.Chunk(options.BatchSize))
        {
            var batchResults = GenerateBatch(chunk.Select(i => requests[i]).ToArray(), options, eos, cancellationToken);
            for (var j = 0; j < chunk.Length; j++)
            {
                results[chunk[j]] = batchResults[j];
            }
            completed += chunk.Length;
            progress?.Report(completed);
        }
        return results;
    }

    private void ValidatePrompt(IReadOnlyList<int> prompt, int index)
    {
        if (prompt is null || prompt.Count == 0)
        {
            throw new ArgumentException($"request {index}: the prompt is empty; give at least one token (e.g. the BOS id).");
        }
        var vocab = model.Config.VocabSize;
        foreach (var bad in prompt.Where(id => id < 0 || id >= vocab).Take(1))
        {
            throw new ArgumentException($"request {index}: token id {bad} is outside the vocabulary [0, {vocab}).");
        }
    }

    private GenerationResult[] GenerateBatch(GenerationRequest[] batch, GenerationOptions options, HashSet<int> eos, CancellationToken cancellationToken)
    {
        var rows = batch.Length;
        var promptLength = batch.Max(r => r.PromptIds.Count);
        var capacity = promptLength + options.MaxNewTokens;
        var device = model.Device;

        // Left padding: row i's prompt occupies the last |prompt_i| columns.
        var ids = new long[rows * promptLength];
        var mask = new long[rows * capacity];
        for (var r = 0; r < rows; r++)
        {
            var prompt = batch[r].PromptIds;
            var pad = promptLength - prompt.Count;
            for (var c = 0; c < promptLength; c++)
            {
                ids[r * promptLength + c] = c < pad ? options.PadTokenId : prompt[c - pad];
            }
            for (var c = 0; c < capacity; c++)
            {
                // Generated columns are real tokens for every row (a finished row's filler is never read).
                mask[r * capacity + c] = c < pad ? 0 : 1;
            }
        }

        var states = batch.Select(_ => new RowState()).ToArray();
        // Rows still decoding, as indices into `batch`; finished rows are dropped from the tensors so a long
        // tail of one request does not make the whole batch pay for the finished ones.
        var live = Enumerable.Range(0, rows).ToArray();
        using var cache = new KvCache(model.Config, rows, capacity, model.Dtype, device);
        var liveMask = tensor(mask, [rows, capacity], device: device);
        var nextInput = tensor(ids, [rows, promptLength], device: device);
        try
        {
            for (var step = 0; step < options.MaxNewTokens; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                using var stepMask = liveMask.narrow(1, 0, (long)promptLength + step);
                var logits = model.ComputeLogits(nextInput, stepMask, cache, lastPositionOnly: true).squeeze(1);
                var draws = options.Greedy ? null : tensor(live.Select(r => (float)RequestRandom.Uniform(batch[r].Seed, step)).ToArray(), device: device);
                var next = TokenSampler.Next(logits, options, draws);
                // The one host sync per step: eos and stop strings are decided on the host.
                var chosen = next.cpu().data<long>().ToArray();
                for (var i = 0; i < live.Length; i++)
                {
                    Accept(states[live[i]], (int)chosen[i], options, eos, step);
                }
                var keep = Enumerable.Range(0, live.Length).Where(i => !states[live[i]].Finished).ToArray();
                if (keep.Length == 0)
                {
                    break;
                }
                nextInput.Dispose();
                next = next.unsqueeze(1);
                if (keep.Length < live.Length)
                {
                    var keepIndex = tensor(keep.Select(i => (long)i).ToArray(), device: device);
                    cache.KeepRows(keepIndex);
                    var kept = liveMask.index_select(0, keepIndex).MoveToOuterDisposeScope();
                    liveMask.Dispose();
                    liveMask = kept;
                    next = next.index_select(0, keepIndex);
                    live = keep.Select(i => live[i]).ToArray();
                }
                nextInput = next.MoveToOuterDisposeScope();
            }
        }
        finally
        {
            nextInput.Dispose();
            liveMask.Dispose();
        }
        return states.Select(Finish).ToArray();
    }

    private void Accept(RowState state, int token, GenerationOptions options, HashSet<int> eos, int step)
    {
        if (eos.Contains(token))
        {
            state.Reason = FinishReason.Eos;
            return;
        }
        state.Ids.Add(token);
        if (options.StopStrings.Count > 0)
        {
            var text = decode!(state.Ids);
            var cut = options.StopStrings.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
            if (cut >= 0)
            {
                state.Reason = FinishReason.Stop;
                state.Text = text[..cut];
                return;
            }
        }
        if (step + 1 >= options.MaxNewTokens)
        {
            state.Reason = FinishReason.Length;
        }
    }

    private GenerationResult Finish(RowState state) =>
        new(state.Ids, state.Text ?? decode?.Invoke(state.Ids), state.Reason ?? FinishReason.Length);

    private sealed class RowState
    {
        public List<int> Ids { get; } = [];
        public FinishReason? Reason { get; set; }
        public string? Text { get; set; }
        public bool Finished => Reason is not null;
    }
}
