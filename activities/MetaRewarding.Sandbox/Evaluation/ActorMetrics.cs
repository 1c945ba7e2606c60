namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>Actor quality against the ground truth ("correct" = all 5 criteria met).</summary>
/// <param name="Prompts">Number of prompts.</param>
/// <param name="SamplesPerPrompt">Samples per prompt (n).</param>
/// <param name="GreedyAccuracy">Share of prompts whose greedy response is correct.</param>
/// <param name="SampledAccuracy">Share of all sampled responses that are correct (docs/SANDBOX.md's headline number).</param>
/// <param name="K">The k of <paramref name="PassAtK"/>.</param>
/// <param name="PassAtK">Unbiased pass@k: mean over prompts of 1 − C(n−c, k)/C(n, k).</param>
/// <param name="MeanGreedyScore">Mean true score (0–5) of greedy responses.</param>
/// <param name="MeanSampledScore">Mean true score (0–5) of sampled responses.</param>
/// <param name="SampledCriterionRates">Per criterion, the share of sampled responses meeting it (shows which rule the actor breaks).</param>
public sealed record ActorMetrics(
    int Prompts,
    int SamplesPerPrompt,
    double GreedyAccuracy,
    double SampledAccuracy,
    int K,
    double PassAtK,
    double MeanGreedyScore,
    double MeanSampledScore,
    IReadOnlyList<double> SampledCriterionRates);
