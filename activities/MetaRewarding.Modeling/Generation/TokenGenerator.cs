using MetaRewarding.Modeling.Llama;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Generation;

/// <summary>
/// Batched autoregressive generation with a KV cache. Prompts of different lengths are left-padded and masked,
/// so every row's next token sits in the last column; positions count real tokens only, so a padded row computes
/// what it would alone. Each row samples with its own counter-based random stream (see <see cref="RequestRandom"/>).
/// </summary>
public sealed class TokenGenerator
{
    private readonly LlamaForCausalLM model;
    private readonly Func<IReadOnlyList<int>, string>? decode;

    /// <param name="model">The model to decode with (left in eval mode; no gradients are recorded).</param>
    /// <param name="decode">Turns completion ids into text; needed for stop strings and for <see cref="GenerationResult.Text"/>.</param>
    public TokenGenerator(LlamaForCausalLM model, Func<IReadOnlyList<int>, string>? decode = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
        this.decode = decode;
    }

    /// <summary>Completes every request; results are in request order.</summary>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> requests, GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.StopStrings.Count > 0 && decode is null)
        {
            throw new ArgumentException("stop strings need a decoder: construct the TokenGenerator with a decode callback (e.g. the tokenizer's Decode).");
        }
        for (var i = 0; i < requests.Count; i++)
        {
            ValidatePrompt(requests[i].PromptIds, i);
        }
        var eos = (options.EosTokenIds ?? model.Config.EosTokenIds).ToHashSet();
        var results = new GenerationResult[requests.Count];
        // Similar lengths in one batch waste less compute on padding; results do not depend on the grouping.
        var order = Enumerable.Range(0, requests.Count).OrderByDescending(i => requests[i].PromptIds.Count).ToArray();
        using var _ = no_grad();
        foreach (var chunk in order.Chunk(options.BatchSize))
        {
            var batchResults = GenerateBatch(chunk.Select(i => requests[i]).ToArray(), options, eos);
            for (var j = 0; j < chunk.Length; j++)
            {
                results[chunk[j]] = batchResults[j];
            }
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

    private GenerationResult[] GenerateBatch(GenerationRequest[] batch, GenerationOptions options, HashSet<int> eos)
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
        using var cache = new KvCache(model.Config, rows, capacity, model.Dtype, device);
        using var fullMask = tensor(mask, [rows, capacity], device: device);
        var uniforms = new float[rows];
        Tensor? nextInput = tensor(ids, [rows, promptLength], device: device);
        for (var step = 0; step < options.MaxNewTokens; step++)
        {
            using var scope = NewDisposeScope();
            var seen = (long)promptLength + step;
            using var stepMask = fullMask.narrow(1, 0, seen);
            var logits = model.ComputeLogits(nextInput, stepMask, cache, lastPositionOnly: true).squeeze(1);
            nextInput.Dispose();
            Tensor? draws = null;
            if (!options.Greedy)
            {
                for (var r = 0; r < rows; r++)
                {
                    uniforms[r] = (float)RequestRandom.Uniform(batch[r].Seed, step);
                }
                draws = tensor(uniforms, device: device);
            }
            var next = TokenSampler.Next(logits, options, draws);
            // The one host sync per step: eos and stop strings are decided on the host.
            var chosen = next.cpu().data<long>().ToArray();
            var active = false;
            for (var r = 0; r < rows; r++)
            {
                if (!states[r].Finished)
                {
                    Accept(states[r], (int)chosen[r], options, eos, step);
                }
                active |= !states[r].Finished;
            }
            if (!active)
            {
                nextInput = null;
                break;
            }
            nextInput = next.unsqueeze(1).MoveToOuterDisposeScope();
        }
        nextInput?.Dispose();
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
