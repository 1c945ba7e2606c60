using System.Diagnostics.CodeAnalysis;

namespace MetaRewarding.Sandbox.Tasks;

/// <summary>Drawing a random task of a family, and reading a task back from its prompt text.</summary>
public static class SandboxTasks
{
    /// <summary>
    /// A uniformly random task of <paramref name="family"/> with length in [<paramref name="minLength"/>,
    /// <paramref name="maxLength"/>] (route tasks: the shortest route's number of steps, in a graph of
    /// <paramref name="graphEdges"/> edges).
    /// </summary>
    public static ISandboxTask Sample(TaskFamily family, int minLength, int maxLength, SandboxRandom random, int graphEdges = SandboxSettings.DefaultGraphEdges)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (family == TaskFamily.Route)
        {
            return RouteTask.Sample(graphEdges, minLength, maxLength, random);
        }

        var length = random.NextInt(minLength, maxLength);
        switch (family)
        {
            case TaskFamily.Constraint:
                var start = random.Choose(SandboxAlphabet.Letters);
                var contains = random.Choose(SandboxAlphabet.Letters.Replace(start.ToString(), "", StringComparison.Ordinal));
                return new ConstraintTask(length, start, contains);
            case TaskFamily.Reverse:
                return new ReverseTask(RandomString(SandboxAlphabet.Letters, length, random));
            case TaskFamily.Sort:
                return new SortTask(RandomString(SandboxAlphabet.Digits, length, random));
            default:
                throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown task family.");
        }
    }

    /// <summary>
    /// Every task of <paramref name="family"/> in the length range, when there are at most
    /// <paramref name="limit"/> of them (constraint tasks: 4 lengths × 56 letter pairs = 224); otherwise null.
    /// </summary>
    public static IReadOnlyList<ISandboxTask>? EnumerateAll(TaskFamily family, int minLength, int maxLength, int limit = 100_000)
    {
        if (family == TaskFamily.Route)
        {
            // Millions of graphs: never listed.
            return null;
        }

        if (family != TaskFamily.Constraint)
        {
            var symbols = family == TaskFamily.Sort ? SandboxAlphabet.Digits.Length : SandboxAlphabet.Letters.Length;
            var count = 0.0;
            for (var length = minLength; length <= maxLength; length++)
            {
                count += Math.Pow(symbols, length);
            }

            return count <= limit ? [.. EnumerateStrings(family, minLength, maxLength)] : null;
        }

        var tasks = new List<ISandboxTask>();
        for (var length = minLength; length <= maxLength; length++)
        {
            foreach (var start in SandboxAlphabet.Letters)
            {
                foreach (var contains in SandboxAlphabet.Letters.Where(c => c != start))
                {
                    tasks.Add(new ConstraintTask(length, start, contains));
                }
            }
        }

        return tasks.Count <= limit ? tasks : null;
    }

    /// <summary>
    /// Reads a compact prompt (<c>C 5 c e</c>, <c>R abcde</c>, <c>S 3142</c>; a trailing newline, as the actor
    /// template renders it, is allowed) back into its task. Activities that only receive prompt text use this to
    /// reach the ground truth.
    /// </summary>
    public static bool TryParse(string prompt, [NotNullWhen(true)] out ISandboxTask? task, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        task = null;
        var text = prompt.EndsWith('\n') ? prompt[..^1] : prompt;
        if (text.StartsWith(RouteTask.Code))
        {
            task = RouteTask.TryParse(text, out error);
            if (task is null)
            {
                error = $"'{prompt}' is not a sandbox task prompt: {error}";
            }

            return task is not null;
        }

        var parts = text.Split(' ');
        error = parts[0] switch
        {
            "C" when parts.Length == 4 && parts[1].Length == 1 && char.IsAsciiDigit(parts[1][0]) && parts[2].Length == 1 && parts[3].Length == 1 =>
                TryCreate(() => new ConstraintTask(parts[1][0] - '0', parts[2][0], parts[3][0]), out task),
            "R" when parts.Length == 2 => TryCreate(() => new ReverseTask(parts[1]), out task),
            "S" when parts.Length == 2 => TryCreate(() => new SortTask(parts[1]), out task),
            _ => "expected 'C <length> <start> <contains>', 'R <letters>', 'S <digits>' or 'G <edges>|<source> <target>'",
        };
        if (error is not null)
        {
            error = $"'{prompt}' is not a sandbox task prompt: {error}";
            task = null;
            return false;
        }

        return task is not null;
    }

    /// <summary>Like <see cref="TryParse"/>, throwing a <see cref="FormatException"/> that names the problem.</summary>
    public static ISandboxTask Parse(string prompt) =>
        TryParse(prompt, out var task, out var error) ? task : throw new FormatException(error);

    private static string? TryCreate(Func<ISandboxTask> create, out ISandboxTask? task)
    {
        try
        {
            task = create();
            return null;
        }
        catch (ArgumentException e)
        {
            task = null;
            return e.Message;
        }
    }

    private static string RandomString(string symbols, int length, SandboxRandom random)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.Choose(symbols);
        }

        return new string(chars);
    }

    private static IEnumerable<ISandboxTask> EnumerateStrings(TaskFamily family, int minLength, int maxLength)
    {
        var symbols = family == TaskFamily.Sort ? SandboxAlphabet.Digits : SandboxAlphabet.Letters;
        for (var length = minLength; length <= maxLength; length++)
        {
            var total = (int)Math.Pow(symbols.Length, length);
            for (var n = 0; n < total; n++)
            {
                var chars = new char[length];
                var rest = n;
                for (var i = length - 1; i >= 0; i--)
                {
                    chars[i] = symbols[rest % symbols.Length];
                    rest /= symbols.Length;
                }

                var input = new string(chars);
                yield return family == TaskFamily.Sort ? new SortTask(input) : new ReverseTask(input);
            }
        }
    }
}
