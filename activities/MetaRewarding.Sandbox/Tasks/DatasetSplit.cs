namespace MetaRewarding.Sandbox.Tasks;

/// <summary>
/// The three disjoint sets of tasks. A task belongs to exactly one split, decided by a stable hash of its prompt
/// (see <see cref="TaskSource"/>), so the SFT data never contains an evaluation task.
/// </summary>
public enum DatasetSplit
{
    /// <summary>Tasks of the SFT demonstrations (actor, judge and meta-judge).</summary>
    Train = 0,

    /// <summary>Prompts the Meta-Rewarding iterations generate responses for.</summary>
    Iteration = 1,

    /// <summary>Held-out prompts for actor accuracy and judge agreement.</summary>
    Evaluation = 2,
}
