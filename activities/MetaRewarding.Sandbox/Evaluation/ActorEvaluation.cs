namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>Actor accuracy from its greedy and sampled responses.</summary>
public static class ActorEvaluation
{
    /// <summary>
    /// Scores every response with the oracle <see cref="Rubric"/>. <paramref name="k"/> must be in
    /// [1, samples per prompt]; every prompt must have the same number of samples (≥ 1).
    /// </summary>
    public static ActorMetrics Evaluate(IReadOnlyList<ActorSamples> prompts, int k)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0)
        {
            throw new ArgumentException("Actor evaluation needs at least one prompt.", nameof(prompts));
        }

        var n = prompts[0].Samples.Count;
        if (n == 0 || prompts.Any(p => p.Samples.Count != n))
        {
            throw new ArgumentException($"Every prompt needs the same number (>= 1) of samples; the first has {n}.", nameof(prompts));
        }

        if (k < 1 || k > n)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"pass@k needs k in [1, {n}] (the samples per prompt).");
        }

        var greedyCorrect = 0;
        var sampledCorrect = 0;
        double greedyScore = 0, sampledScore = 0, passAtK = 0;
        var criterionMet = new int[Rubric.CriterionCount];
        foreach (var prompt in prompts)
        {
            var greedyMarks = Rubric.Marks(prompt.Task, prompt.Greedy);
            greedyScore += greedyMarks.Count(m => m);
            greedyCorrect += greedyMarks.All(m => m) ? 1 : 0;
            var correctHere = 0;
            foreach (var sample in prompt.Samples)
            {
                var marks = Rubric.Marks(prompt.Task, sample);
                sampledScore += marks.Count(m => m);
                for (var c = 0; c < marks.Length; c++)
                {
                    criterionMet[c] += marks[c] ? 1 : 0;
                }

                correctHere += marks.All(m => m) ? 1 : 0;
            }

            sampledCorrect += correctHere;
            passAtK += PassAtK(n, correctHere, k);
        }

        var totalSamples = (double)prompts.Count * n;
        return new ActorMetrics(
            prompts.Count,
            n,
            (double)greedyCorrect / prompts.Count,
            sampledCorrect / totalSamples,
            k,
            passAtK / prompts.Count,
            greedyScore / prompts.Count,
            sampledScore / totalSamples,
            [.. criterionMet.Select(met => met / totalSamples)]);
    }

    /// <summary>
    /// The unbiased pass@k estimator (Chen et al. 2021) for one prompt with <paramref name="correct"/> of
    /// <paramref name="samples"/> correct: 1 − C(n−c, k)/C(n, k), computed as a product to stay exact for small n.
    /// </summary>
    public static double PassAtK(int samples, int correct, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(correct);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(correct, samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, samples);
        if (samples - correct < k)
        {
            return 1;
        }

        // C(n−c, k)/C(n, k) = Π_{i=n−c+1}^{n} (1 − k/i)
        var allWrong = 1.0;
        for (var i = samples - correct + 1; i <= samples; i++)
        {
            allWrong *= 1 - ((double)k / i);
        }

        return 1 - allWrong;
    }
}
