using System.Text;
using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Evaluation;
using MetaRewarding.Sandbox.Formats;

namespace MetaRewarding.Sandbox.Tasks;

/// <summary>
/// <c>G ab cf bd de ag fg eh fh|a e</c>: a route from <see cref="Source"/> to <see cref="Target"/> in an undirected
/// graph over a–h, written as the nodes visited (<c>A: abde</c>). Rubric, one point each: format, starts at the
/// source, ends at the target, every step is an edge, no repeated node. Producing a route needs a search over the
/// edge list (several hops for a far target); checking one needs only local look-ups (is this step an edge?),
/// so checking is easier than producing (docs/SANDBOX.md, "The route family"). A judgment that fails the edge
/// criterion cites a <em>witness</em>, the first step that is not an edge (<c>+++-+ bd Score: 4</c>), which a
/// meta-judge can verify by one look-up.
/// </summary>
public sealed record RouteTask : ISandboxTask
{
    /// <summary>Criterion names in mark order.</summary>
    public static readonly IReadOnlyList<string> CriterionNames = ["format", "start", "end", "edges", "no repeat"];

    /// <summary>Index of the "every step is an edge" criterion (the one a witness supports).</summary>
    public const int EdgesCriterion = 3;

    /// <summary>The prompt's code letter.</summary>
    public const char Code = 'G';

    // Error kinds: 0 wrong start, 1 wrong end, 2 a step that is not an edge, 3 a repeated node.
    private static readonly IReadOnlyList<int> ErrorCriteria = [1, 2, 3, 4];

    private readonly HashSet<(char, char)> _adjacent;

    /// <param name="edges">Undirected edges, each as two distinct letters of a–h, in the order the prompt shows them.</param>
    /// <param name="source">Where the route starts.</param>
    /// <param name="target">Where it ends; must be reachable from the source.</param>
    public RouteTask(IReadOnlyList<string> edges, char source, char target)
    {
        ArgumentNullException.ThrowIfNull(edges);
        if (edges.Count == 0)
        {
            throw new ArgumentException("A route task needs at least one edge.", nameof(edges));
        }

        _adjacent = [];
        foreach (var edge in edges)
        {
            if (edge is null || edge.Length != 2 || edge[0] == edge[1] || !IsNode(edge[0]) || !IsNode(edge[1]))
            {
                throw new ArgumentException($"Edge '{edge}' must be two different letters of {SandboxAlphabet.Letters}.", nameof(edges));
            }

            if (!_adjacent.Add((edge[0], edge[1])) || !_adjacent.Add((edge[1], edge[0])))
            {
                throw new ArgumentException($"Edge '{edge}' is listed twice.", nameof(edges));
            }
        }

        if (!IsNode(source) || !IsNode(target) || source == target)
        {
            throw new ArgumentException($"Source '{source}' and target '{target}' must be two different letters of {SandboxAlphabet.Letters}.", nameof(source));
        }

        if (Distance(source, target) is null)
        {
            throw new ArgumentException($"No route from '{source}' to '{target}' in this graph.", nameof(target));
        }

        Edges = [.. edges];
        Source = source;
        Target = target;
    }

    /// <summary>The edges in prompt order.</summary>
    public IReadOnlyList<string> Edges { get; }

    public char Source { get; }

    public char Target { get; }

    public TaskFamily Family => TaskFamily.Route;

    public string Prompt => $"{Code} {string.Join(' ', Edges)}|{Source} {Target}";

    public string AnswerSymbols => SandboxAlphabet.Letters;

    public IReadOnlyList<string> Criteria => CriterionNames;

    public IReadOnlyList<int> ContentErrorCriteria => ErrorCriteria;

    /// <summary>The number of steps of the shortest route (at least 1).</summary>
    public int ShortestDistance => Distance(Source, Target)!.Value;

    /// <summary>True when <paramref name="from"/>–<paramref name="to"/> is an edge.</summary>
    public bool IsEdge(char from, char to) => _adjacent.Contains((from, to));

    public bool[] Marks(string response)
    {
        var (answer, wellFormed) = AnswerExtraction.Extract(response, AnswerSymbols);
        return
        [
            wellFormed,
            answer.Length > 0 && answer[0] == Source,
            answer.Length > 0 && answer[^1] == Target,
            answer.Length >= 2 && FirstInvalidStepOf(answer) is null,
            answer.Length > 0 && answer.Distinct().Count() == answer.Length,
        ];
    }

    /// <summary>
    /// The witness of a failed edge criterion: the first step of the response's answer (two letters, in route
    /// order) that is not an edge; null when every step is an edge or the answer has fewer than two nodes.
    /// </summary>
    public string? FirstInvalidStep(string response) => FirstInvalidStepOf(AnswerExtraction.Extract(response, AnswerSymbols).Answer);

    /// <summary>
    /// Whether <paramref name="witness"/> supports a failed edge mark for <paramref name="response"/>: it is a step
    /// of the answer (two consecutive nodes) that is not an edge. A missing witness supports the mark only when the
    /// answer has fewer than two nodes (there is no step to cite).
    /// </summary>
    public bool IsValidWitness(string response, string? witness)
    {
        var answer = AnswerExtraction.Extract(response, AnswerSymbols).Answer;
        if (witness is null)
        {
            return answer.Length < 2;
        }

        if (witness.Length != 2 || IsEdge(witness[0], witness[1]))
        {
            return false;
        }

        for (var i = 0; i + 1 < answer.Length; i++)
        {
            if (answer[i] == witness[0] && answer[i + 1] == witness[1])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The judgment with <paramref name="marks"/>, citing <paramref name="witness"/> when the edge mark fails.</summary>
    public string Judgment(IReadOnlyList<bool> marks, string? witness) => WitnessJudgmentFormat.Format(marks, witness, EdgesCriterion);

    /// <summary>The oracle judgment: the true marks, citing the first non-edge step when there is one.</summary>
    public string TrueJudgment(string response) => Judgment(Marks(response), FirstInvalidStep(response));

    /// <summary>
    /// Wrong marks, plus one when the judgment rightly fails the edge criterion but cites a step that is not a
    /// non-edge step of the route (an unverifiable claim); then the score's distance.
    /// </summary>
    public JudgmentError ErrorOf(string response, ModelCompletion judgment)
    {
        var truth = Marks(response);
        var error = JudgmentError.Of(judgment, truth);
        var marks = JudgmentFormat.TryParseMarks(judgment);
        var wrongWitness = marks is not null && JudgeScoreParser.Parse(judgment).IsValid
            && !marks[EdgesCriterion] && !truth[EdgesCriterion]
            && !IsValidWitness(response, WitnessJudgmentFormat.TryParseWitness(judgment));
        return wrongWitness ? error with { WrongMarks = error.WrongMarks + 1 } : error;
    }

    /// <summary>
    /// The oracle meta-judgment: the check of the first disagreement (<see cref="RouteMetaRule"/>) with its true
    /// outcome; when the judgments never disagree on a mark or witness, just the verdict by <see cref="ErrorOf"/>
    /// (A when neither is better).
    /// </summary>
    public string TrueMetaJudgment(string response, ModelCompletion judgmentA, ModelCompletion judgmentB) =>
        RouteMetaRule.TrueMetaJudgment(this, response, judgmentA, judgmentB)
        ?? (ErrorOf(response, judgmentA) <= ErrorOf(response, judgmentB) ? "Winner: Judgment A" : "Winner: Judgment B");

    /// <summary>A uniformly random shortest route (letters only, without <c>A: </c>).</summary>
    public string SampleCorrectAnswer(SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var toTarget = DistancesFrom(Target);
        var route = new StringBuilder().Append(Source);
        var current = Source;
        while (current != Target)
        {
            var next = Neighbours(current).Where(n => toTarget[n] == toTarget[current] - 1).ToList();
            current = random.Choose(next);
            route.Append(current);
        }

        return route.ToString();
    }

    public string Corrupt(string answer, int errorKind, SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(random);
        var nodes = answer.ToList();
        if (nodes.Count == 0)
        {
            nodes.Add(Source);
        }

        switch (errorKind)
        {
            case 0:
                // Another first node: prefer one not already used, so only "start" breaks where possible.
                nodes[0] = ChooseOther(nodes, Source, random);
                break;
            case 1:
                // Stop one node early, or end somewhere else.
                if (nodes.Count >= 3 && random.Chance(0.5))
                {
                    nodes.RemoveAt(nodes.Count - 1);
                }
                else
                {
                    nodes[^1] = ChooseOther(nodes, Target, random);
                }

                break;
            case 2:
                // A jump: drop an inner node (the shortcut a model takes), or replace one with a non-neighbour.
                BreakAStep(nodes, random);
                break;
            case 3:
                // A detour back to where it came from (valid edges, a repeated node).
                if (nodes.Count >= 2)
                {
                    var at = random.NextInt(1, nodes.Count - 1);
                    nodes.InsertRange(at + 1, [nodes[at - 1], nodes[at]]);
                }
                else
                {
                    nodes.Add(nodes[0]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(errorKind), errorKind, $"A route task has content error kinds 0–{ErrorCriteria.Count - 1}.");
        }

        return new string([.. nodes]);
    }

    /// <summary>Tasks are equal when their prompts are (the same edges in the same order, source and target).</summary>
    public bool Equals(RouteTask? other) => other is not null && string.Equals(Prompt, other.Prompt, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Prompt);

    /// <inheritdoc/>
    public override string ToString() => Prompt;

    /// <summary>Reads <c>G ab cf …|a e</c> back (no newline); null with a reason when it is not one.</summary>
    public static RouteTask? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        if (!text.StartsWith($"{Code} ", StringComparison.Ordinal) || bar < 0)
        {
            error = $"expected '{Code} <edges>|<source> <target>'";
            return null;
        }

        var ends = text[(bar + 1)..].Split(' ');
        if (ends.Length != 2 || ends[0].Length != 1 || ends[1].Length != 1)
        {
            error = "expected one source and one target letter after '|'";
            return null;
        }

        try
        {
            return new RouteTask(text[2..bar].Split(' '), ends[0][0], ends[1][0]);
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>
    /// A random task: a distance d uniform in [<paramref name="minDistance"/>, <paramref name="maxDistance"/>],
    /// <paramref name="edgeCount"/> distinct random edges over a–h (re-drawn until some pair is d steps apart,
    /// a few draws for d ≤ 4 and 8 edges), and a uniformly chosen pair at that distance.
    /// </summary>
    public static RouteTask Sample(int edgeCount, int minDistance, int maxDistance, SandboxRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var letters = SandboxAlphabet.Letters;
        var allEdges = new List<string>();
        for (var i = 0; i < letters.Length; i++)
        {
            for (var j = i + 1; j < letters.Length; j++)
            {
                allEdges.Add($"{letters[i]}{letters[j]}");
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(edgeCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(edgeCount, allEdges.Count);
        // The distance first, uniformly: picking a pair uniformly instead gives mostly 2-step routes (60% at 2–4).
        var distance = random.NextInt(minDistance, maxDistance);
        for (var draw = 0; draw < 10_000; draw++)
        {
            random.Shuffle(allEdges);
            var edges = allEdges.Take(edgeCount).Select(e => random.Chance(0.5) ? e : new string([e[1], e[0]])).ToList();
            var probe = new RouteTask(edges, edges[0][0], edges[0][1]);
            var pairs = new List<(char, char)>();
            foreach (var s in letters)
            {
                var distances = probe.DistancesFrom(s);
                pairs.AddRange(letters.Where(t => distances[t] == distance).Select(t => (s, t)));
            }

            if (pairs.Count > 0)
            {
                var (source, target) = random.Choose(pairs);
                return new RouteTask(edges, source, target);
            }
        }

        throw new InvalidOperationException($"No graph with {edgeCount} edges has a route of {minDistance}–{maxDistance} steps; widen the distance range.");
    }

    private static bool IsNode(char c) => SandboxAlphabet.Letters.Contains(c, StringComparison.Ordinal);

    private IEnumerable<char> Neighbours(char node) => SandboxAlphabet.Letters.Where(n => IsEdge(node, n));

    private string? FirstInvalidStepOf(string answer)
    {
        for (var i = 0; i + 1 < answer.Length; i++)
        {
            if (!IsEdge(answer[i], answer[i + 1]))
            {
                return answer.Substring(i, 2);
            }
        }

        return null;
    }

    private int? Distance(char from, char to)
    {
        var distance = DistancesFrom(from)[to];
        return distance == int.MaxValue ? null : distance;
    }

    /// <summary>Breadth-first distances from <paramref name="from"/> to every letter (int.MaxValue: unreachable).</summary>
    private Dictionary<char, int> DistancesFrom(char from)
    {
        var distances = SandboxAlphabet.Letters.ToDictionary(c => c, _ => int.MaxValue);
        distances[from] = 0;
        var queue = new Queue<char>([from]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var next in Neighbours(node).Where(n => distances[n] == int.MaxValue))
            {
                distances[next] = distances[node] + 1;
                queue.Enqueue(next);
            }
        }

        return distances;
    }

    private static char ChooseOther(List<char> used, char avoid, SandboxRandom random)
    {
        var free = SandboxAlphabet.Letters.Where(c => c != avoid && !used.Contains(c)).ToList();
        return free.Count > 0 ? random.Choose(free) : random.Choose(SandboxAlphabet.Letters.Where(c => c != avoid).ToList());
    }

    private void BreakAStep(List<char> nodes, SandboxRandom random)
    {
        if (nodes.Count >= 3 && random.Chance(0.6))
        {
            // Drop an inner node whose removal leaves a non-edge step.
            var inner = Enumerable.Range(1, nodes.Count - 2).Where(i => !IsEdge(nodes[i - 1], nodes[i + 1])).ToList();
            if (inner.Count > 0)
            {
                nodes.RemoveAt(random.Choose(inner));
                return;
            }
        }

        if (nodes.Count == 1)
        {
            nodes.Add(ChooseNonNeighbour(nodes[0], nodes, random));
            return;
        }

        // Replace a node after the first with one that is not a neighbour of its predecessor.
        var at = random.NextInt(1, nodes.Count - 1);
        nodes[at] = ChooseNonNeighbour(nodes[at - 1], nodes, random);
    }

    private char ChooseNonNeighbour(char from, List<char> used, SandboxRandom random)
    {
        var candidates = SandboxAlphabet.Letters.Where(c => c != from && !IsEdge(from, c) && !used.Contains(c)).ToList();
        if (candidates.Count == 0)
        {
            candidates = [.. SandboxAlphabet.Letters.Where(c => c != from && !IsEdge(from, c))];
        }

        return candidates.Count > 0 ? random.Choose(candidates) : from;
    }
}
