using System.Text.Json;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Run;
using MetaRewarding.Activities.Tests.Artifacts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Alignment.Templates;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Formats;
using MetaRewarding.Sandbox.Tasks;
using static MetaRewarding.Activities.Tests.Run.RunFixtures;

namespace MetaRewarding.Activities.Tests.Run;

/// <summary>
/// BuildPairs on a sandbox run: judge pairs use the sandbox's compact judge template, and under the oracle judge
/// no judge pairs are built even when the iteration trains the judge. Data: the slice's first prompt has a right
/// answer scored 5 and 4 and a wrong one scored 1 twice; the 5-judgment beats the 4-judgment in both orders.
/// </summary>
public sealed class BuildPairsSandboxTests : IDisposable
{
    private readonly TemporaryStore _temp = new();
    private readonly RunActivities _activities;

    public BuildPairsSandboxTests() => _activities = new RunActivities(_temp.Store);

    public void Dispose() => _temp.Dispose();

    private static string Lines<T>(params T[] records) =>
        string.Concat(records.Select(r => JsonSerializer.Serialize(r, DatasetJsonContext.Default.GetTypeInfo(typeof(T))!) + "\n"));

    private async Task<(PairsInput Input, PromptRecord Prompt)> PrepareAsync(RunInput run)
    {
        var snapshot = await RunFixtures.PrepareAsync(_activities, run);
        var context = new IterationContext(run.RunId, snapshot.Run, 1, new ArtifactRef("runs/x/seed/model", new string('0', 64), 0));
        var slice = await RunActivity(() => _activities.SelectPromptsAsync(new SelectPromptsInput(context, snapshot.PromptPool)));
        var prompt = ReadPrompts(_temp.Store, slice.Prompts)[0];
        var folder = $"runs/{run.RunId}/iteration-1";
        var p = prompt.Id;
        var responses = await _temp.Store.WriteTextAsync($"{folder}/responses/shard-0000.jsonl", Lines(
            new ResponseRecord { Id = "ra", PromptId = p, Text = "A: right" },
            new ResponseRecord { Id = "rb", PromptId = p, Text = "A: wrong" }), CancellationToken.None);
        var judgments = await _temp.Store.WriteTextAsync($"{folder}/judgments/shard-0000.jsonl", Lines(
            new JudgmentRecord { Id = "ja1", PromptId = p, ResponseId = "ra", Text = "+++++ Score: 5" },
            new JudgmentRecord { Id = "ja2", PromptId = p, ResponseId = "ra", Text = "++++- Score: 4" },
            new JudgmentRecord { Id = "jb1", PromptId = p, ResponseId = "rb", Text = "+---- Score: 1" },
            new JudgmentRecord { Id = "jb2", PromptId = p, ResponseId = "rb", Text = "+---- Score: 1" }), CancellationToken.None);
        var meta = await _temp.Store.WriteTextAsync($"{folder}/meta-judgments/shard-0000.jsonl", Lines(
            new MetaJudgmentRecord { Id = "m1", PromptId = p, ResponseId = "ra", JudgmentAId = "ja1", JudgmentBId = "ja2", Text = "+++++ 0 1 Winner: Judgment A" },
            new MetaJudgmentRecord { Id = "m2", PromptId = p, ResponseId = "ra", JudgmentAId = "ja2", JudgmentBId = "ja1", Text = "+++++ 1 0 Winner: Judgment B" }), CancellationToken.None);
        var empty = await _temp.Store.WriteTextAsync($"{folder}/empty/shard-0001.jsonl", "", CancellationToken.None);
        return (new PairsInput(context, [responses, empty], [judgments, empty], [meta, empty]), prompt);
    }

    [Fact]
    public async Task BuildPairsAsync_SandboxRun_RendersJudgePairPromptWithCompactTemplate()
    {
        var (input, prompt) = await PrepareAsync(SandboxRun());

        var output = await RunActivity(() => _activities.BuildPairsAsync(input));

        var pairs = JsonlReader.ReadFile(_temp.Store.Resolve(output.Pairs), DatasetJsonContext.Default.PreferencePairRecord, new MalformedLineLog(MalformedLinePolicy.Fatal))
            .Select(l => l.Record).ToList();
        Assert.Equal([PairKind.Actor, PairKind.Judge], pairs.Select(p => p.Kind));
        Assert.Equal(("ra", "rb"), (pairs[0].ChosenId, pairs[0].RejectedId));
        Assert.Equal(CompactTemplates.Templates.Actor.Render(new TemplateValues(prompt.Prompt)).Text, pairs[0].Prompt);
        Assert.Equal(("ja1", "ja2"), (pairs[1].ChosenId, pairs[1].RejectedId));
        Assert.Equal(CompactTemplates.Templates.Judge.Render(new TemplateValues(prompt.Prompt, "A: right")).Text, pairs[1].Prompt);
        Assert.Equal(2, output.Metrics.PromptsWithoutResponses);
    }

    [Fact]
    public async Task BuildPairsAsync_OracleJudge_BuildsActorPairsOnly()
    {
        var (input, _) = await PrepareAsync(SandboxRun("oracle-run") with { JudgeMode = JudgeMode.Oracle });

        var output = await RunActivity(() => _activities.BuildPairsAsync(input));

        Assert.Equal((1L, 0L, 0L), (output.Metrics.ActorPairs, output.Metrics.JudgePairs, output.Metrics.MetaJudgments));
    }

    [Fact]
    public async Task BuildPairsAsync_SandboxRun_ChecksEveryPairAgainstTheTruth()
    {
        var (input, prompt) = await PrepareAsync(SandboxRun());

        await RunActivity(() => _activities.BuildPairsAsync(input));

        var file = _temp.Store.TryGetFile($"runs/{input.Context.RunId}/iteration-1/{PairTruth.FileName}");
        Assert.NotNull(file);
        var truth = JsonSerializer.Deserialize<PairTruth>(File.ReadAllText(_temp.Store.Resolve(file)), MetaRewarding.Activities.Artifacts.ArtifactJson.Options)!;
        var task = SandboxTasks.Parse(prompt.Prompt);
        long actorRight = Rubric.Score(task, "A: right") > Rubric.Score(task, "A: wrong") ? 1 : 0;
        long judgeRight = task.ErrorOf("A: right", new ModelCompletion("+++++ Score: 5")) < task.ErrorOf("A: right", new ModelCompletion("++++- Score: 4")) ? 1 : 0;
        Assert.Equal((1L, actorRight, 1L, judgeRight), (truth.ActorPairs, truth.ActorRight, truth.JudgePairs, truth.JudgeRight));
    }
}
