using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Run;
using MetaRewarding.Activities.Tests.Artifacts;
using static MetaRewarding.Activities.Tests.Run.RunFixtures;

namespace MetaRewarding.Activities.Tests.Run;

public sealed class SelectPromptsTests : IDisposable
{
    private readonly TemporaryStore _temp = new();
    private readonly RunActivities _activities;

    public SelectPromptsTests() => _activities = new RunActivities(_temp.Store);

    public void Dispose() => _temp.Dispose();

    private async Task<(RunSnapshot Snapshot, IterationContext Context)> PrepareRealAsync(int iteration)
    {
        var snapshot = await PrepareAsync(_activities, Real(_temp.Folder, FivePrompts()));
        var model = new ArtifactRef("/models/m0", new string('0', 64), 0);
        return (snapshot, new IterationContext("real-run", snapshot.Run, iteration, model));
    }

    [Fact]
    public async Task SelectPromptsAsync_FirstIteration_TakesFirstCountPromptsInShardsOfShardSize()
    {
        var (snapshot, context) = await PrepareRealAsync(1);

        var slice = await RunActivity(() => _activities.SelectPromptsAsync(new SelectPromptsInput(context, snapshot.PromptPool)));

        Assert.Equal("runs/real-run/iteration-1/prompts.jsonl", slice.Prompts.Path);
        Assert.Equal(3, slice.Count);
        Assert.Equal(2, slice.Shards); // ceil(3 / 2)
        Assert.Equal(["p1", "p2", "p3"], ReadPrompts(_temp.Store, slice.Prompts).Select(p => p.Id));
    }

    [Fact]
    public async Task SelectPromptsAsync_SecondIteration_TakesTheNextDisjointSlice()
    {
        var (snapshot, context) = await PrepareRealAsync(2);

        var slice = await RunActivity(() => _activities.SelectPromptsAsync(new SelectPromptsInput(context, snapshot.PromptPool)));

        Assert.Equal(2, slice.Count);
        Assert.Equal(1, slice.Shards);
        Assert.Equal(["p4", "p5"], ReadPrompts(_temp.Store, slice.Prompts).Select(p => p.Id));
        Assert.Equal(["question 4", "question 5"], ReadPrompts(_temp.Store, slice.Prompts).Select(p => p.Prompt));
    }

    [Fact]
    public async Task SelectPromptsAsync_SecondCall_ReturnsSameRefWithoutRewriting()
    {
        var (snapshot, context) = await PrepareRealAsync(1);
        var input = new SelectPromptsInput(context, snapshot.PromptPool);
        var first = await RunActivity(() => _activities.SelectPromptsAsync(input));
        var file = _temp.Store.FullPath(first.Prompts.Path);
        var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(file, old);

        var second = await RunActivity(() => _activities.SelectPromptsAsync(input));

        Assert.Equal(first, second);
        Assert.Equal(old, File.GetLastWriteTimeUtc(file));
    }

    [Fact]
    public async Task SelectPromptsAsync_IterationOutsideSchedule_FailsNonRetryable()
    {
        var (snapshot, context) = await PrepareRealAsync(3);

        var failure = await FailureOf(() => _activities.SelectPromptsAsync(new SelectPromptsInput(context, snapshot.PromptPool)), ErrorTypes.InvalidConfiguration);

        Assert.Contains("iteration 3 is not in run 'real-run''s schedule (iterations 1-2)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelectPromptsAsync_PoolAlteredSincePrepare_FailsMissingInput()
    {
        var (snapshot, context) = await PrepareRealAsync(1);
        await File.AppendAllTextAsync(_temp.Store.FullPath(snapshot.PromptPool.Path), "{\"id\":\"x\",\"prompt\":\"sneaked in\"}\n");

        var failure = await FailureOf(() => _activities.SelectPromptsAsync(new SelectPromptsInput(context, snapshot.PromptPool)), ErrorTypes.MissingInput);

        Assert.Contains(snapshot.PromptPool.Path, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelectPromptsAsync_RunSnapshotDeleted_FailsMissingInput()
    {
        var (snapshot, context) = await PrepareRealAsync(1);
        File.Delete(_temp.Store.FullPath(snapshot.Run.Path));

        var failure = await FailureOf(() => _activities.SelectPromptsAsync(new SelectPromptsInput(context, snapshot.PromptPool)), ErrorTypes.MissingInput);

        Assert.Contains("run.json", failure.Message, StringComparison.Ordinal);
    }
}
