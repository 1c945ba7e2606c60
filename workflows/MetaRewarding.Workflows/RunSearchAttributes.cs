using Temporalio.Common;

namespace MetaRewarding.Workflows;

/// <summary>
/// The custom search attributes the workflows keep current, so the Temporal UI can list runs by iteration and
/// phase (e.g. <c>MetaRewardingPhase = 'train'</c>). A real cluster must have them registered first:
/// <c>temporal operator search-attribute create --name MetaRewardingIteration --type Int</c> and
/// <c>--name MetaRewardingPhase --type Keyword</c> (the worker registers them when it is allowed to).
/// </summary>
public static class RunSearchAttributes
{
    /// <summary>The iteration in progress, 0 before iteration 1.</summary>
    public static SearchAttributeKey<long> Iteration { get; } = SearchAttributeKey.CreateLong("MetaRewardingIteration");

    /// <summary>The phase in progress (<see cref="Phases"/>).</summary>
    public static SearchAttributeKey<string> Phase { get; } = SearchAttributeKey.CreateKeyword("MetaRewardingPhase");
}
