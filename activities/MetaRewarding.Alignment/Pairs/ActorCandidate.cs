using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Scoring;

namespace MetaRewarding.Alignment.Pairs;

/// <summary>One response of a prompt, as actor-pair selection sees it.</summary>
/// <param name="Text">The response text (identical texts never make a pair).</param>
/// <param name="Length">Its length in the run's length unit.</param>
/// <param name="Score">Its judgment scores.</param>
/// <param name="Complete">
/// The response ended by itself (<see cref="CompletionFinish.IsComplete"/>). A truncated or skipped response is
/// neither chosen nor rejected: DPO would teach the actor to stop (or not) where the length cap cut it.
/// </param>
public readonly record struct ActorCandidate(string Text, int Length, ResponseScore Score, bool Complete = true)
{
    /// <summary>Whether the response takes part in selection: complete and with a valid score.</summary>
    public bool Eligible => Complete && Score.HasScore;

    /// <summary>The candidate for <paramref name="response"/>.</summary>
    public static ActorCandidate For(ResponseRecord response, int length, ResponseScore score)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new ActorCandidate(response.Text, length, score, CompletionFinish.IsComplete(response.FinishReason));
    }
}
