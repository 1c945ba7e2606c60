using System.Globalization;

namespace MetaRewarding.Sandbox.Tasks;

/// <summary>
/// <c>C L X Y</c>: a string of length <see cref="Length"/> over a–h that starts with <see cref="Start"/>,
/// contains <see cref="Contains"/> and repeats no letter. Rubric, one point each: format, length, start,
/// contains, no repeat.
/// </summary>
public sealed record ConstraintTask : ISandboxTask
{
    /// <summary>Criterion names in mark order.</summary>
    public static readonly IReadOnlyList<string> CriterionNames = ["format", "length", "start", "contains", "no repeat"];

    /// <summary>Index of the "contains" criterion (the calibration gate checks it).</summary>
    public const int ContainsCriterion = 3;

    /// <summary>Index of the "no repeat" criterion (the calibration gate checks it).</summary>
    public const int NoRepeatCriterion = 4;

    // Error kinds: 0 wrong length, 1 wrong first letter, 2 missing Y, 3 a repeated letter.
    private static readonly IReadOnlyList<int> ErrorCriteria = [1, 2, 3, 4];

    public ConstraintTask(int length, char start, char contains)
    {
        if (length < 2 || length > SandboxAlphabet.Letters.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A constraint task's length must be in [2, {SandboxAlphabet.Letters.Length}] (no letter may repeat).");
        }

        if (!SandboxAlphabet.Letters.Contains(start, StringComparison.Ordinal) || !SandboxAlphabet.Letters.Contains(contains, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Start '{start}' and contained letter '{contains}' must both be in {SandboxAlphabet.Letters}.", nameof(start));
        }

        if (start == contains)
        {
            throw new ArgumentException($"Start and contained letter must differ, got '{start}' twice.", nameof(contains));
        }

        Length = length;
        Start = start;
        Contains = contains;
    }

    public int Length { get; }

    public char Start { get; }

    public char Contains { get; }

    public TaskFamily Family => TaskFamily.Constraint;

    public string Prompt => string.Create(CultureInfo.InvariantCulture, $"C {Length} {Start} {Contains}");

    public string AnswerSymbols => SandboxAlphabet.Letters;

    public IReadOnlyList<string> Criteria => CriterionNames;

    public IReadOnlyList<int> ContentErrorCriteria => ErrorCriteria;

    public bool[] Marks(string response)
    {
        var (answer, wellFormed) = AnswerExtraction.Extract(response, AnswerSymbols);
        return
        [
            wellFormed,
            answer.Length == Length,
            answer.Length > 0 && answer[0] == Start,
            answer.Contains(Contains, StringComparison.Ordinal),
            answer.Length > 0 && answer.Distinct().Count() == answer.Length,
        ];
    }

    public string SampleCorrectAnswer(SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var others = SandboxAlphabet.Letters.Where(c => c != Start && c != Contains).ToList();
        random.Shuffle(others);
        var letters = new List<char>(Length) { Start };
        letters.AddRange(others.Take(Length - 2));
        letters.Insert(random.NextInt(1, Length - 1), Contains);
        return new string([.. letters]);
    }

    public string Corrupt(string answer, int errorKind, SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(random);
        var letters = answer.ToList();
        switch (errorKind)
        {
            case 0:
                ChangeLength(letters, random);
                break;
            case 1:
                // A first letter that is neither X nor Y, unused if possible (so only "start" breaks).
                var first = FreeLetters(letters, exclude: [Start, Contains]);
                var replacement = first.Count > 0 ? random.Choose(first) : random.Choose(SandboxAlphabet.Letters.Where(c => c != Start && c != Contains).ToList());
                if (letters.Count == 0)
                {
                    letters.Add(replacement);
                }
                else
                {
                    letters[0] = replacement;
                }

                break;
            case 2:
                // Every Y becomes a letter that is not Y, unused if possible.
                for (var i = 0; i < letters.Count; i++)
                {
                    if (letters[i] == Contains)
                    {
                        var free = FreeLetters(letters, exclude: [Contains, Start]);
                        letters[i] = free.Count > 0 ? random.Choose(free) : random.Choose(SandboxAlphabet.Letters.Where(c => c != Contains).ToList());
                    }
                }

                break;
            case 3:
                // Overwrite a non-Y position after the first with a copy of another non-Y letter.
                var targets = Enumerable.Range(1, Math.Max(0, letters.Count - 1)).Where(i => letters[i] != Contains).ToList();
                if (targets.Count == 0)
                {
                    letters.Add(letters.Count > 0 ? letters[0] : Start);
                    break;
                }

                var target = random.Choose(targets);
                var sources = Enumerable.Range(0, letters.Count).Where(i => i != target && letters[i] != Contains).ToList();
                if (sources.Count == 0)
                {
                    letters.Insert(target, letters[target]);
                }
                else
                {
                    letters[target] = letters[random.Choose(sources)];
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(errorKind), errorKind, $"A constraint task has content error kinds 0–{ErrorCriteria.Count - 1}.");
        }

        return new string([.. letters]);
    }

    /// <inheritdoc/>
    public override string ToString() => Prompt;

    private void ChangeLength(List<char> letters, SandboxRandom random)
    {
        var removable = Enumerable.Range(1, Math.Max(0, letters.Count - 1)).Where(i => letters[i] != Contains).ToList();
        if (removable.Count > 0 && random.Chance(0.5))
        {
            letters.RemoveAt(random.Choose(removable));
            return;
        }

        var free = FreeLetters(letters, exclude: [Contains, Start]);
        var added = free.Count > 0 ? random.Choose(free) : random.Choose(SandboxAlphabet.Letters);
        letters.Insert(letters.Count == 0 ? 0 : random.NextInt(1, letters.Count), added);
    }

    private static List<char> FreeLetters(List<char> used, char[] exclude) =>
        [.. SandboxAlphabet.Letters.Where(c => !used.Contains(c) && !exclude.Contains(c))];
}
