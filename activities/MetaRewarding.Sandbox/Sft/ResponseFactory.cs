using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Sft;

/// <summary>Responses with known flaws: imperfect actor demonstrations, and a pool stratified by true score for judge data.</summary>
public static class ResponseFactory
{
    /// <summary>Suffixes that make a format error after a correct-looking answer.</summary>
    public static readonly IReadOnlyList<string> FormatErrorSuffixes = [" ok", " done"];

    // A corrupted answer is re-drawn when a later error happened to repair an earlier one; a handful of tries
    // always suffices for these tasks (a test checks the targeted marks are violated).
    private const int MaxCorruptionTries = 64;

    // Stratified pool: re-draw until the true score hits the target; with q tuned to the target most
    // candidates hit within a few tries, and 2,000 tries practically never all miss (a test checks the shares).
    private const int MaxStratifiedTries = 2_000;

    /// <summary>
    /// An actor demonstration: a correct answer; with probability <see cref="SandboxSettings.ActorContentErrorRate"/>
    /// 1 (70%) or 2 (30%) distinct content errors, each verified to break its criterion; with probability
    /// <see cref="SandboxSettings.ActorFormatErrorRate"/> a format error (no <c>A: </c>, or a suffix).
    /// </summary>
    public static ActorDemonstration Actor(ISandboxTask task, SandboxSettings settings, SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(random);
        var answer = task.SampleCorrectAnswer(random);
        var errors = 0;
        if (random.Chance(settings.ActorContentErrorRate))
        {
            errors = random.Chance(0.7) ? 1 : 2;
            answer = CorruptVerified(task, answer, errors, random);
        }

        var formatError = random.Chance(settings.ActorFormatErrorRate);
        return new ActorDemonstration(task, formatError ? WithFormatError(answer, random) : AnswerExtraction.Prefix + answer, errors, formatError);
    }

    /// <summary>
    /// A response whose true score is <paramref name="targetScore"/> (uniform over 0–5 when null), for judge and
    /// meta-judge demonstrations: stratifying by true score removes the "most answers are good" shortcut.
    /// Candidates: 15% random strings; otherwise a correct answer with each content error, and a format error,
    /// applied with probability q = (5 − target)/5, so candidates land near the target (rejection stays cheap)
    /// and, given the score, which criteria fail is close to uniform.
    /// </summary>
    public static string PoolResponse(ISandboxTask task, SandboxRandom random, int? targetScore = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(random);
        var target = targetScore ?? random.NextInt(Rubric.CriterionCount + 1);
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(targetScore));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(target, Rubric.CriterionCount, nameof(targetScore));
        var errorRate = (Rubric.CriterionCount - target) / (double)Rubric.CriterionCount;
        var response = "";
        for (var attempt = 0; attempt < MaxStratifiedTries; attempt++)
        {
            string answer;
            if (random.Chance(0.15))
            {
                var length = random.NextInt(1, AnswerLengthCap(task));
                answer = new string([.. Enumerable.Range(0, length).Select(_ => random.Choose(task.AnswerSymbols))]);
            }
            else
            {
                answer = task.SampleCorrectAnswer(random);
                for (var kind = 0; kind < task.ContentErrorCriteria.Count; kind++)
                {
                    if (random.Chance(errorRate))
                    {
                        answer = task.Corrupt(answer, kind, random);
                    }
                }
            }

            response = random.Chance(errorRate) ? WithFormatError(answer, random) : AnswerExtraction.Prefix + answer;
            if (Rubric.Score(task, response) == target)
            {
                return response;
            }
        }

        return response;
    }

    /// <summary>
    /// The response a judge or meta-judge demonstration is about: for route tasks, with probability
    /// <see cref="SandboxSettings.NearMissShare"/> a <see cref="NearMiss"/> route, else (and for other families) a
    /// stratified <see cref="PoolResponse"/>.
    /// </summary>
    public static string JudgedResponse(ISandboxTask task, SandboxSettings settings, SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(random);
        return task is RouteTask route && random.Chance(settings.NearMissShare) ? NearMiss(route, random) : PoolResponse(task, random);
    }

    /// <summary>
    /// A well-formed route from the source to the target — the kind of answer the seed actor gives — that is
    /// correct half the time (a random shortest route) and otherwise goes through distinct random nodes, one fewer,
    /// as many or one more than the shortest route has, re-drawn until some step is not an edge. The only thing
    /// telling the two halves apart is whether each step is an edge, so a judge trained on them must look the steps
    /// up (docs/SANDBOX.md, "Honest supervision": the stratified pool alone taught a judge that passed 99.8% of the
    /// actor's own failed routes). Drawn without looking at any model's output.
    /// </summary>
    public static string NearMiss(RouteTask task, SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(random);
        if (random.Chance(0.5))
        {
            return AnswerExtraction.Prefix + task.SampleCorrectAnswer(random);
        }

        var inner = Math.Max(0, task.ShortestDistance - 1 + random.NextInt(-1, 1));
        var free = SandboxAlphabet.Letters.Where(c => c != task.Source && c != task.Target).ToList();
        var route = "";
        for (var attempt = 0; attempt < MaxCorruptionTries; attempt++)
        {
            random.Shuffle(free);
            route = task.Source + new string([.. free.Take(inner)]) + task.Target;
            if (task.FirstInvalidStep(AnswerExtraction.Prefix + route) is not null)
            {
                break;
            }
        }

        return AnswerExtraction.Prefix + route;
    }

    /// <summary><paramref name="answer"/> badly formatted: bare (no <c>A: </c>) or with a suffix, half each.</summary>
    public static string WithFormatError(string answer, SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.Chance(0.5) ? answer : AnswerExtraction.Prefix + answer + random.Choose(FormatErrorSuffixes);
    }

    /// <summary>Longest random answer a pool response draws: the task length plus one inserted symbol (routes: the shortest route's nodes plus one).</summary>
    public static int AnswerLengthCap(ISandboxTask task) => task switch
    {
        ConstraintTask c => c.Length + 1,
        TransformTask t => t.Input.Length + 1,
        RouteTask r => r.ShortestDistance + 2,
        _ => throw new ArgumentException($"Unknown task type {task?.GetType().Name}.", nameof(task)),
    };

    private static string CorruptVerified(ISandboxTask task, string correct, int errorCount, SandboxRandom random)
    {
        var kinds = Enumerable.Range(0, task.ContentErrorCriteria.Count).ToList();
        var corrupted = correct;
        for (var attempt = 0; attempt < MaxCorruptionTries; attempt++)
        {
            random.Shuffle(kinds);
            corrupted = correct;
            foreach (var kind in kinds.Take(errorCount))
            {
                corrupted = task.Corrupt(corrupted, kind, random);
            }

            var marks = task.Marks(AnswerExtraction.Prefix + corrupted);
            if (kinds.Take(errorCount).All(kind => !marks[task.ContentErrorCriteria[kind]]))
            {
                return corrupted;
            }
        }

        return corrupted;
    }
}
