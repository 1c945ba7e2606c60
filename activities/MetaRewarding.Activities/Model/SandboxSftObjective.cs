using MetaRewarding.Modeling.Scoring;
using MetaRewarding.Modeling.Training;
using MetaRewarding.Sandbox.Sft;
using MetaRewarding.Tokenization;
using static TorchSharp.torch;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// Seed SFT on the sandbox's lazily generated mix, one kind of example per batch (docs/SANDBOX.md: padding per batch
/// is then 2× cheaper than mixing kinds). The training loop sees one "example" per optimizer step — the index of a
/// whole <see cref="SftDataset.Batch"/> — so its batch size is 1, and its checkpoints, resume and shuffle work
/// unchanged; the loss is completion-token cross-entropy averaged over the batch's completion tokens, as in
/// <see cref="SftObjective"/>.
/// </summary>
public sealed class SandboxSftObjective : ITrainingObjective
{
    private readonly SftDataset dataset;
    private readonly IChatTemplate chat;
    private readonly int batchSize;
    private readonly int padTokenId;
    private (int Index, CompletionSequence[] Sequences)? last;

    public SandboxSftObjective(SftDataset dataset, IChatTemplate chat, int steps, int batchSize, int padTokenId)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        this.dataset = dataset;
        this.chat = chat;
        this.batchSize = batchSize;
        this.padTokenId = padTokenId;
        ExampleCount = steps;
    }

    /// <summary>Batches, one per optimizer step.</summary>
    public int ExampleCount { get; }

    public int MetricCount => 0;

    public double LossDenominator(IReadOnlyList<int> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch.Sum(b => Sequences(b).Sum(s => (double)s.CompletionIds.Count));
    }

    public Tensor LossSum(nn.Module<Tensor, Tensor?, Tensor> model, IReadOnlyList<int> microBatch, Device device, double[] metricSums, out long tokens)
    {
        ArgumentNullException.ThrowIfNull(microBatch);
        var sequences = microBatch.SelectMany(Sequences).ToArray();
        using var batch = CompletionBatch.Create(sequences, device, padTokenId);
        tokens = batch.RealTokens;
        return -CompletionLogProbs.PerToken(model, batch).sum();
    }

    public DpoStepMetrics? Summarise(double[] metricSums, int examples) => null;

    /// <summary>Batch <paramref name="index"/> as token ids (BOS + prompt; completion + EOS), kept for the denominator's twin call.</summary>
    private CompletionSequence[] Sequences(int index)
    {
        if (last is { } cached && cached.Index == index)
        {
            return cached.Sequences;
        }

        var sequences = dataset.Batch(index, batchSize)
            .Select(e => new CompletionSequence(chat.Render([ChatMessage.User(e.Prompt)], addGenerationPrompt: true), chat.RenderAssistantReply(e.Completion)))
            .ToArray();
        last = (index, sequences);
        return sequences;
    }
}
