namespace MetaRewarding.Sandbox.Tasks;

/// <summary>The kinds of synthetic task; all share one 5-criterion rubric shape and the <c>A: &lt;answer&gt;</c> format.</summary>
public enum TaskFamily
{
    /// <summary>
    /// <c>C L X Y</c>: write a string of length L over a–h that starts with X, contains Y and repeats no letter.
    /// Many valid answers; checking is easier than producing (SANDBOX.md, third round). The demo's family.
    /// </summary>
    Constraint = 0,

    /// <summary><c>R abcde</c>: reverse a string over a–h (one right answer; SANDBOX.md's first round, a control).</summary>
    Reverse = 1,

    /// <summary><c>S 3142</c>: sort a string of digits (one right answer; SANDBOX.md's first round, a control).</summary>
    Sort = 2,
}
