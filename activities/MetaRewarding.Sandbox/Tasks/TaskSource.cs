namespace MetaRewarding.Sandbox.Tasks;

/// <summary>
/// Deterministic tasks by (split, index): task <c>i</c> of a split is the same on every call, machine and run
/// with the same settings. Splits are disjoint by construction: a task's split is a stable hash of
/// (<see cref="SandboxSettings.SplitSeed"/>, its prompt) compared with the split fractions, and a split's tasks
/// are drawn by rejection from the family's uniform distribution. The constraint family has only 224 distinct
/// tasks (lengths 3–6), so a split of 500 prompts repeats tasks; <see cref="DistinctTasks"/> lists them.
/// </summary>
public sealed class TaskSource
{
    // Rejection sampling needs 1 / fraction ≈ 20 draws at the smallest allowed fraction (0.05); this bound is
    // reached only if a split is (nearly) empty, which the constructor rules out for enumerable families.
    private const int MaxDraws = 100_000;

    private readonly SandboxSettings _settings;
    private readonly Dictionary<DatasetSplit, IReadOnlyList<ISandboxTask>>? _distinct;

    // Split of every task of a small family, so the hot path (SFT streaming) skips re-hashing prompts.
    private readonly Dictionary<string, DatasetSplit>? _splitByPrompt;

    public TaskSource(SandboxSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.ThrowIfInvalid();
        _settings = settings;
        var all = SandboxTasks.EnumerateAll(settings.Family, settings.MinLength, settings.MaxLength, limit: 20_000);
        if (all is not null)
        {
            _distinct = all.GroupBy(HashSplit).ToDictionary(g => g.Key, g => (IReadOnlyList<ISandboxTask>)[.. g]);
            _splitByPrompt = _distinct.SelectMany(p => p.Value.Select(t => (t.Prompt, p.Key))).ToDictionary(p => p.Prompt, p => p.Key, StringComparer.Ordinal);
            foreach (var split in Enum.GetValues<DatasetSplit>())
            {
                if (!_distinct.ContainsKey(split))
                {
                    throw new ArgumentException(
                        $"The {split} split has no {settings.Family} task of length {settings.MinLength}–{settings.MaxLength} under split seed {settings.SplitSeed} ({all.Count} tasks in all): widen the length range or change the split fractions.",
                        nameof(settings));
                }
            }
        }
    }

    /// <summary>Task <paramref name="index"/> (≥ 0) of <paramref name="split"/>.</summary>
    public ISandboxTask Get(DatasetSplit split, long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Sample(split, SandboxRandom.For(_settings.SplitSeed, "task/" + split, index));
    }

    /// <summary>The first <paramref name="count"/> tasks of <paramref name="split"/>.</summary>
    public IReadOnlyList<ISandboxTask> Take(DatasetSplit split, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return [.. Enumerable.Range(0, count).Select(i => Get(split, i))];
    }

    /// <summary>A random task of <paramref name="split"/> drawn with <paramref name="random"/> (for data streams with their own seeds).</summary>
    public ISandboxTask Sample(DatasetSplit split, SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (var draw = 0; draw < MaxDraws; draw++)
        {
            var task = SandboxTasks.Sample(_settings.Family, _settings.MinLength, _settings.MaxLength, random, _settings.GraphEdges);
            if (SplitOf(task) == split)
            {
                return task;
            }
        }

        throw new InvalidOperationException($"No {split} task found in {MaxDraws} draws: the split fractions leave it (nearly) empty.");
    }

    /// <summary>The split <paramref name="task"/> belongs to.</summary>
    public DatasetSplit SplitOf(ISandboxTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return _splitByPrompt is not null && _splitByPrompt.TryGetValue(task.Prompt, out var split) ? split : HashSplit(task);
    }

    private DatasetSplit HashSplit(ISandboxTask task)
    {
        var u = SandboxRandom.StableUnit(_settings.SplitSeed, "split", task.Prompt);
        return u < _settings.TrainFraction ? DatasetSplit.Train
            : u < _settings.TrainFraction + _settings.IterationFraction ? DatasetSplit.Iteration
            : DatasetSplit.Evaluation;
    }

    /// <summary>Every distinct task of <paramref name="split"/> when the family is small enough to list (constraint tasks); otherwise null.</summary>
    public IReadOnlyList<ISandboxTask>? DistinctTasks(DatasetSplit split) => _distinct?[split];
}
