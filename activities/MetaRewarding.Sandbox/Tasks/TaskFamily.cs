namespace MetaRewarding.Sandbox.Tasks;

/// <summary>The kinds of synthetic task; all share one 5-criterion rubric shape and the <c>A: &lt;answer&gt;</c> format.</summary>
public enum TaskFamily
{
    /// <summary>
    /// <c>C L X Y</c>: write a string of length L over a–h that starts with X, contains Y and repeats no letter.
    /// Many valid answers; checking is easier than producing (docs/SANDBOX.md, "The recipe"). The first demo's family.
    /// </summary>
    Constraint = 0,

    /// <summary><c>R abcde</c>: reverse a string over a–h (one right answer; a control, docs/SANDBOX.md).</summary>
    Reverse = 1,

    /// <summary><c>S 3142</c>: sort a string of digits (one right answer; a control, docs/SANDBOX.md).</summary>
    Sort = 2,

    /// <summary>
    /// <c>G ab cf bd de ag fg eh fh|a e</c>: a route between two nodes of a small graph. The actor must search, the
    /// judge only look up edges, and a judgment cites the step it rejects (docs/SANDBOX.md, "The route family").
    /// The demo's family.
    /// </summary>
    Route = 3,
}
