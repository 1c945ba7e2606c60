using System.Text.Json;
using MetaRewarding.Modeling.Scoring;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Training;

/// <summary>
/// The reference model's summed completion log-probabilities for every pair of a DPO dataset, computed once
/// before training so the reference model need not stay in memory (or even exist) while the policy trains.
/// </summary>
public sealed record ReferenceLogProbs(IReadOnlyList<double> Chosen, IReadOnlyList<double> Rejected)
{
    public const string FileName = "reference-logprobs.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    public int Count => Chosen.Count;

    /// <summary>Scores every chosen and rejected completion with <paramref name="reference"/>, without gradients.</summary>
    public static ReferenceLogProbs Compute(
        nn.Module<Tensor, Tensor?, Tensor> reference, IReadOnlyList<PreferenceExample> dataset, int batchSize, Device device)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(dataset);
        var chosen = CompletionLogProbs.Score(reference, [.. dataset.Select(e => new CompletionSequence(e.PromptIds, e.ChosenIds))], batchSize, device);
        var rejected = CompletionLogProbs.Score(reference, [.. dataset.Select(e => new CompletionSequence(e.PromptIds, e.RejectedIds))], batchSize, device);
        return new ReferenceLogProbs([.. chosen.Select(s => s.LogProb)], [.. rejected.Select(s => s.LogProb)]);
    }

    /// <summary>Throws when a value is NaN or infinite: the reference model is broken and DPO would train on garbage.</summary>
    public void EnsureFinite()
    {
        for (var i = 0; i < Count; i++)
        {
            if (!double.IsFinite(Chosen[i]) || !double.IsFinite(Rejected[i]))
            {
                throw new InvalidDataException(
                    $"Reference log-prob of pair {i} is not finite (chosen {Chosen[i]}, rejected {Rejected[i]}); check the reference model's weights.");
            }
        }
    }

    public void Save(string path)
    {
        File.WriteAllText(path, JsonSerializer.Serialize(new Stored([.. Chosen], [.. Rejected]), JsonOptions));
    }

    public static ReferenceLogProbs Load(string path)
    {
        var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), JsonOptions)
            ?? throw new InvalidDataException($"{path} is empty; delete it so the reference log-probs are recomputed.");
        if (stored.Chosen is null || stored.Rejected is null || stored.Chosen.Length != stored.Rejected.Length)
        {
            throw new InvalidDataException($"{path} must hold equally long 'Chosen' and 'Rejected' arrays; delete it so they are recomputed.");
        }

        return new ReferenceLogProbs(stored.Chosen, stored.Rejected);
    }

    private sealed record Stored(double[] Chosen, double[] Rejected);
}
