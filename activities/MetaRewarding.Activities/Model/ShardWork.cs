using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// The samples one shard of a step needs: its requests in record order (those sharing a prompt next to each other),
/// the step's sampling settings and the cap on new tokens (the sandbox's context), and the folder of its output
/// (<c>responses</c>, <c>judgments</c>, <c>meta-judgments</c>).
/// </summary>
internal sealed record ShardWork(
    IterationContext Context, int Shard, string Step, string Folder, IReadOnlyList<SampleRequest> Requests, SamplingSettings Settings, int? MaxNewTokensCap)
{
    /// <summary>Its work file for resuming (the <c>openai</c> backend's journal), <c>iteration-{t}/work/{folder}-shard-{s}.jsonl</c>.</summary>
    public string JournalPath => Artifacts.ArtifactStore.RunPath(Context.RunId, $"iteration-{Context.Iteration}", "work", $"{Folder}-shard-{Shard:D4}.jsonl");

    public int MaxNewTokens => CompletionSampler.MaxNewTokens(Settings, MaxNewTokensCap);
}
