using MetaRewarding.Sandbox.Formats;

namespace MetaRewarding.Sandbox;

/// <summary>
/// Sequence lengths, in characters (= tokens for the character tokenizer). The demo should generate with these
/// caps (<c>maxNewTokens</c>), and then every sequence — BOS, prompt, completion, EOS — fits
/// <see cref="ContextWindow"/>. The longest is a meta-judge sequence for a route task over 12 edges:
/// 1 + (2 + 41 + 20 + 20 + 20 + 4) + 32 + 1 = 141 ≤ 160 (8 edges: 129; reverse/sort of length 7: 109).
/// </summary>
public static class SandboxLimits
{
    /// <summary>The context window the demo model needs.</summary>
    public const int ContextWindow = 160;

    /// <summary>Cap on an actor completion: the longest demonstration is <c>A: </c> + 8 symbols + <c> done</c> = 16.</summary>
    public const int ActorMaxNewTokens = 20;

    /// <summary>Cap on a judgment: the longest format's length (<see cref="WitnessJudgmentFormat.Length"/> = 17) plus slack.</summary>
    public const int JudgeMaxNewTokens = 20;

    /// <summary>Cap on a meta-judgment: the format's length (<see cref="MetaJudgmentFormat.Length"/> = 28) plus slack.</summary>
    public const int MetaJudgeMaxNewTokens = 32;

    /// <summary>BOS before the prompt and EOS after the completion.</summary>
    public const int SpecialTokens = 2;

    /// <summary>Longest compact task prompt for tasks up to <paramref name="maxLength"/>: <c>R abcdefg</c> is 2 + length; <c>C 6 c e</c> is 7.</summary>
    public static int MaxTaskPromptLength(int maxLength) => Math.Max(7, 2 + maxLength);

    /// <summary>Longest route prompt over <paramref name="edges"/> edges: <c>G</c>, the edges, <c>|s t</c>.</summary>
    public static int MaxRoutePromptLength(int edges) => 2 + (3 * edges) - 1 + 4;

    /// <summary>Longest sequence of any role when completions are generated with the caps above.</summary>
    public static int LongestSequence(int maxTaskLength) => LongestSequenceFor(MaxTaskPromptLength(maxTaskLength));

    /// <summary>Longest sequence of any role for route tasks over <paramref name="edges"/> edges.</summary>
    public static int LongestRouteSequence(int edges) => LongestSequenceFor(MaxRoutePromptLength(edges));

    private static int LongestSequenceFor(int prompt)
    {
        var actor = prompt + 1 + ActorMaxNewTokens;
        var judge = 2 + prompt + 1 + ActorMaxNewTokens + 1 + JudgeMaxNewTokens;
        var metaJudge = 2 + prompt + 1 + ActorMaxNewTokens + 1 + JudgeMaxNewTokens + 1 + JudgeMaxNewTokens + 1 + MetaJudgeMaxNewTokens;
        return SpecialTokens + Math.Max(actor, Math.Max(judge, metaJudge));
    }
}
