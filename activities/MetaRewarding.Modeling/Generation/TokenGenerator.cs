using MetaRewarding.Modeling.Llama;

namespace MetaRewarding.Modeling.Generation;

/// <summary>
/// Completes a list of requests with continuous batching and shared prefixes (<see cref="ContinuousBatcher"/>):
/// up to <see cref="GenerationOptions.BatchSize"/> rows decode together and a finished row's place goes to the next
/// request at once; requests sharing a prompt prefix (the N judgments of a response, the K samples of a prompt) compute
/// it once. Requests are admitted in the order given, so keep requests that share a prefix next to each other.
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

    /// <summary>What the last <see cref="Generate(IReadOnlyList{GenerationRequest}, GenerationOptions, IProgress{int}?, CancellationToken)"/> did (prefill, reuse, steps).</summary>
    public BatchingStatistics LastStatistics { get; private set; } = new();

    /// <summary>Completes every request; results are in request order. Cancellation is checked before every decoding step.</summary>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> requests, GenerationOptions options,
        CancellationToken cancellationToken = default) => Generate(requests, options, progress: null, cancellationToken);

    /// <summary>
    /// As <see cref="Generate(IReadOnlyList{GenerationRequest}, GenerationOptions, CancellationToken)"/>;
    /// <paramref name="progress"/> hears the number of completed requests whenever some finish (e.g. to heartbeat).
    /// </summary>
    /// <exception cref="ArgumentException">A setting or a request is invalid (the message names it and, for a request, its index).</exception>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> requests, GenerationOptions options,
        IProgress<int>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var results = new GenerationResult[requests.Count];
        if (requests.Count == 0)
        {
            return results;
        }

        using var batcher = new ContinuousBatcher(model, options.Batching(requests.Count), decode);
        for (var i = 0; i < requests.Count; i++)
        {
            try
            {
                batcher.Submit(requests[i], options);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"request {i}: {e.Message}", e);
            }
        }

        var completed = 0;
        while (batcher.HasWork)
        {
            var finished = batcher.Step(cancellationToken);
            foreach (var (ticket, result) in finished)
            {
                results[ticket] = result;
            }

            if (finished.Count > 0)
            {
                completed += finished.Count;
                progress?.Report(completed);
            }
        }

        LastStatistics = batcher.Statistics;
        return results;
    }
}
