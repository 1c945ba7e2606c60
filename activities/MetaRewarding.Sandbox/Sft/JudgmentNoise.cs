namespace MetaRewarding.Sandbox.Sft;

/// <summary>Noisy and biased copies of the true marks, for judge labels and meta-judge demonstrations.</summary>
public static class JudgmentNoise
{
    /// <summary>Each mark flipped independently with probability <paramref name="flipRate"/>.</summary>
    public static bool[] Flip(IReadOnlyList<bool> truth, double flipRate, SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(random);
        return [.. truth.Select(mark => random.Chance(flipRate) ? !mark : mark)];
    }

    /// <summary>
    /// A judgment with <paramref name="bias"/>: noisy (<see cref="Flip"/> at <paramref name="flipRate"/>), lenient
    /// (each failed mark passed with probability <paramref name="strength"/>) or strict (each met mark failed with it).
    /// </summary>
    public static bool[] Apply(IReadOnlyList<bool> truth, JudgmentBias bias, double flipRate, double strength, SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(random);
        return bias switch
        {
            JudgmentBias.Noisy => Flip(truth, flipRate, random),
            JudgmentBias.Lenient => [.. truth.Select(mark => mark || random.Chance(strength))],
            JudgmentBias.Strict => [.. truth.Select(mark => mark && !random.Chance(strength))],
            _ => throw new ArgumentOutOfRangeException(nameof(bias), bias, "Unknown judgment bias."),
        };
    }
}
