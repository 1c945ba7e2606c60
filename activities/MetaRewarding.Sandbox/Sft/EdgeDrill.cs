using MetaRewarding.Sandbox.Formats;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Sft;

/// <summary>
/// An edge drill: a train task's graph and <see cref="Questions"/> steps, half of them edges, answered in the step
/// trace's form (<c>J G bg0 ad1 …|</c> → <c>ab+ cf- gd- …</c>). It is the judge's look-up on its own: spending
/// 30% of the seed's batches on it is what taught this model's judge to check steps at all (docs/SANDBOX.md, "Can
/// this model learn the look-up at all?"). Each verdict is flipped with the judge's mark rate, so a drill is no
/// cleaner than a judgment (docs/SANDBOX.md, "Honest supervision"); no source, target or route is shown, so it
/// teaches no role the answer another role is asked for.
/// </summary>
public static class EdgeDrill
{
    /// <summary>Steps asked per drill.</summary>
    public const int Questions = 8;

    /// <summary>The drill's prompt for <paramref name="task"/>: <c>J</c>, the graph, <c>|</c>.</summary>
    public static string Prompt(RouteTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return $"J {task.GraphText}|";
    }

    /// <summary>The drill's questions and their true answers: a fair coin per question picks an edge or not.</summary>
    public static IReadOnlyList<StepVerdict> Truth(RouteTask task, SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(random);
        var letters = SandboxAlphabet.Letters;
        var steps = letters.SelectMany(from => letters.Where(to => to != from).Select(to => $"{from}{to}")).ToList();
        var edges = steps.Where(step => task.IsEdge(step[0], step[1])).ToList();
        var nonEdges = steps.Where(step => !task.IsEdge(step[0], step[1])).ToList();
        return [.. Enumerable.Range(0, Questions).Select(_ => random.Chance(0.5) ? new StepVerdict(random.Choose(edges), true) : new StepVerdict(random.Choose(nonEdges), false))];
    }

    /// <summary>A drill about <paramref name="task"/>: true answers, each flipped with probability <paramref name="flipRate"/>.</summary>
    public static SftExample Of(RouteTask task, double flipRate, SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var shown = Truth(task, random).Select(q => random.Chance(flipRate) ? q with { Accepted = !q.Accepted } : q);
        return new SftExample(SftExampleKind.EdgeDrill, Prompt(task), StepTrace.Format(shown));
    }
}
