namespace MetaRewarding.Sandbox.Tasks;

/// <summary>
/// A task with exactly one right answer computed from its input (reverse, sort): docs/SANDBOX.md's
/// control. Rubric, one point each: format, right length, right first character, at least half the positions
/// right, exact match.
/// </summary>
public abstract record TransformTask : ISandboxTask
{
    /// <summary>Criterion names in mark order.</summary>
    public static readonly IReadOnlyList<string> CriterionNames = ["format", "length", "first", "half right", "exact"];

    // Error kinds: 0 wrong length, 1 wrong first symbol, 2 one wrong symbol after the first.
    private static readonly IReadOnlyList<int> ErrorCriteria = [1, 2, 4];

    protected TransformTask(string input, string symbols)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        if (!input.All(c => symbols.Contains(c, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"Input '{input}' must use only {symbols}.", nameof(input));
        }

        Input = input;
        AnswerSymbols = symbols;
    }

    /// <summary>The string to transform.</summary>
    public string Input { get; }

    /// <summary>The one right answer.</summary>
    public abstract string Expected { get; }

    public abstract TaskFamily Family { get; }

    public abstract string Prompt { get; }

    public string AnswerSymbols { get; }

    public IReadOnlyList<string> Criteria => CriterionNames;

    public IReadOnlyList<int> ContentErrorCriteria => ErrorCriteria;

    public bool[] Marks(string response)
    {
        var (answer, wellFormed) = AnswerExtraction.Extract(response, AnswerSymbols);
        var expected = Expected;
        var matching = 0;
        for (var i = 0; i < Math.Min(answer.Length, expected.Length); i++)
        {
            if (answer[i] == expected[i])
            {
                matching++;
            }
        }

        return
        [
            wellFormed,
            answer.Length == expected.Length,
            answer.Length > 0 && answer[0] == expected[0],
            2 * matching >= expected.Length,
            string.Equals(answer, expected, StringComparison.Ordinal),
        ];
    }

    public string SampleCorrectAnswer(SandboxRandom random) => Expected;

    public string Corrupt(string answer, int errorKind, SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(random);
        var symbols = answer.ToList();
        switch (errorKind)
        {
            case 0 when symbols.Count > 1 && random.Chance(0.5):
                symbols.RemoveAt(random.NextInt(1, symbols.Count - 1));
                break;
            case 0:
                symbols.Insert(symbols.Count == 0 ? 0 : random.NextInt(1, symbols.Count), random.Choose(AnswerSymbols));
                break;
            case 1 when symbols.Count == 0:
                symbols.Add(Other(Expected[0], random));
                break;
            case 1:
                symbols[0] = Other(Expected[0], random);
                break;
            case 2 when symbols.Count < 2:
                symbols.Add(random.Choose(AnswerSymbols));
                break;
            case 2:
                var position = random.NextInt(1, symbols.Count - 1);
                symbols[position] = Other(symbols[position], random);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(errorKind), errorKind, $"A {Family} task has content error kinds 0–{ErrorCriteria.Count - 1}.");
        }

        return new string([.. symbols]);
    }

    /// <inheritdoc/>
    public override string ToString() => Prompt;

    private char Other(char symbol, SandboxRandom random) =>
        random.Choose(AnswerSymbols.Where(c => c != symbol).ToList());
}
