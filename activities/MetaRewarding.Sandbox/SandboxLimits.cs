using MetaRewarding.Sandbox.Formats;

namespace MetaRewarding.Sandbox;

/// <summary>
/// Sequence lengths, in characters (= tokens for the character tokenizer). The demo should generate with these
/// caps (<c>maxNewTokens</c>), and then every sequence — BOS, prompt, completion, EOS — fits
/// <see cref="ContextWindow"/>. The longest is a meta-judge sequence for a reverse/sort task of length 7:
/// 1 + (2 + 9 + 20 + 16 + 16 + 4) + 32 + 1 = 101 ≤ 128 (constraint tasks: 99).
/// </summary>
public static class SandboxLimits
{
    /// <summary>The context window the demo model needs.</summary>
    public const int ContextWindow = 128;

    /// <summary>Cap on an actor completion: the longest demonstration is <c>A: </c> + 8 symbols + <c> done</c> = 16.</summary>
    public const int ActorMaxNewTokens = 20;

    /// <summary>Cap on a judgment: the format's length (<see cref="JudgmentFormat.Length"/> = 14) plus slack.</summary>
    public const int JudgeMaxNewTokens = 16;

    /// <summary>Cap on a meta-judgment: the format's length (<see cref="MetaJudgmentFormat.Length"/> = 28) plus slack.</summary>
    public const int MetaJudgeMaxNewTokens = 32;

    /// <summary>BOS before the prompt and EOS after the completion.</summary>
    public const int SpecialTokens = 2;

    /// <summary>Longest compact task prompt for tasks up to <paramref name="maxLength"/>: <c>R abcdefg</c> is 2 + length; <c>C 6 c e</c> is 7.</summary>
    public static int MaxTaskPromptLength(int maxLength) => Math.Max(7, 2 + maxLength);

    /// <summary>Longest sequence of any role when completions are generated with the caps above.</summary>
    public static int LongestSequence(int maxTaskLength)
    {
        var prompt = MaxTaskPromptLength(maxTaskLength);
        var actor = prompt + 1 + ActorMaxNewTokens;
        var judge = 2 + prompt + 1 + ActorMaxNewTokens + 1 + JudgeMaxNewTokens;
        var metaJudge = 2 + prompt + 1 + ActorMaxNewTokens + 1 + JudgeMaxNewTokens + 1 + JudgeMaxNewTokens + 1 + MetaJudgeMaxNewTokens;
        return SpecialTokens + Math.Max(actor, Math.Max(judge, metaJudge));
    }
}
