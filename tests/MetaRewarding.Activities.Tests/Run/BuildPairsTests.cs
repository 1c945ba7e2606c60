using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Run;
using MetaRewarding.Activities.Tests.Artifacts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Metrics;
using MetaRewarding.Alignment.Templates;
using Temporalio.Converters;
using static MetaRewarding.Activities.Tests.Run.RunFixtures;

namespace MetaRewarding.Activities.Tests.Run;

/// <summary>
/// BuildPairs over a hand-made iteration: 3 prompts in 2 shards (p1, p2 | p3), 2 responses each, 2 judgments per
/// response. By hand: p1's responses score 4 ("A") and 2 ("BBBB") → actor pair; p2's both score 3 → no pair; p3's
/// score (5+3)/2 = 4 ("good") and 1 ("bad!!", its second judgment has no score) → actor pair. Judge pairs: only p3
/// has battles on file, for "good"'s judgments (variance 1, the highest); "Great…Score: 5" wins in both orders, so
/// it is chosen over "Okay…Score: 3". p1 has no battles (mismatch skip); p2's judgments are identical texts.
/// </summary>
public sealed class BuildPairsTests : IDisposable
{
    private readonly TemporaryStore _temp = new();
    private readonly RunActivities _activities;

    public BuildPairsTests() => _activities = new RunActivities(_temp.Store);

    public void Dispose() => _temp.Dispose();

    private static string IterationPath(string name) => $"runs/real-run/iteration-1/{name}";

    private async Task<IterationContext> PrepareIterationAsync()
    {
        var snapshot = await PrepareAsync(_activities, Real(_temp.Folder, FivePrompts()));
        var context = new IterationContext("real-run", snapshot.Run, 1, new ArtifactRef("/models/m0", new string('0', 64), 0));
        await RunActivity(() => _activities.SelectPromptsAsync(new SelectPromptsInput(context, snapshot.PromptPool)));
        return context;
    }

    private Task<ArtifactRef> WriteShardAsync<T>(string folder, int shard, T[] records)
        where T : class
    {
        var info = DatasetJsonContext.Default.GetTypeInfo(typeof(T)) as System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>;
        return _temp.Store.WriteFileAsync(IterationPath($"{folder}/shard-{shard:D4}.jsonl"), (stream, _) =>
        {
            using var writer = new JsonlWriter<T>(stream, info!);
            foreach (var record in records)
            {
                writer.Write(record);
            }

            return Task.CompletedTask;
        }, CancellationToken.None);
    }

    private static ResponseRecord Response(string id, string promptId, string text) => new() { Id = id, PromptId = promptId, Text = text };

    private static JudgmentRecord Judgment(string id, string responseId, string text) =>
        new() { Id = id, PromptId = "p" + responseId[1], ResponseId = responseId, Text = text };

    private async Task<PairsInput> WriteShardsAsync(IterationContext context, string p3SecondJudgmentOfBad = "no score here")
    {
        var responses = new[]
        {
            await WriteShardAsync("responses", 0, [Response("r1a", "p1", "A"), Response("r1b", "p1", "BBBB"), Response("r2a", "p2", "x"), Response("r2b", "p2", "y")]),
            await WriteShardAsync("responses", 1, [Response("r3a", "p3", "good"), Response("r3b", "p3", "bad!!")]),
        };
        var judgments0 = await WriteShardAsync("judgments", 0, new[]
        {
            Judgment("j1a1", "r1a", "Good. Score: 4"), Judgment("j1a2", "r1a", "Fine. Score: 4"),
            Judgment("j1b1", "r1b", "Bad. Score: 2"), Judgment("j1b2", "r1b", "Poor. Score: 2"),
            Judgment("j2a1", "r2a", "Score: 3"), Judgment("j2a2", "r2a", "Score: 3"),
            Judgment("j2b1", "r2b", "Score: 3"), Judgment("j2b2", "r2b", "Score: 3"),
        });

        // Shard 1 ends without a final newline: concatenation must still keep its last line separate.
        var judgments1 = await _temp.Store.WriteTextAsync(IterationPath("judgments/shard-0001.jsonl"), string.Join('\n',
            """{"id":"j3a1","promptId":"p3","responseId":"r3a","text":"Great answer. Score: 5"}""",
            """{"id":"j3a2","promptId":"p3","responseId":"r3a","text":"Okay answer. Score: 3"}""",
            """{"id":"j3b1","promptId":"p3","responseId":"r3b","text":"Score: 1"}""",
            $$"""{"id":"j3b2","promptId":"p3","responseId":"r3b","text":"{{p3SecondJudgmentOfBad}}"}"""), CancellationToken.None);
        var meta = new[]
        {
            await _temp.Store.WriteTextAsync(IterationPath("meta-judgments/shard-0000.jsonl"), "", CancellationToken.None),
            await WriteShardAsync("meta-judgments", 1, new[]
            {
                new MetaJudgmentRecord { Id = "m1", PromptId = "p3", ResponseId = "r3a", JudgmentAId = "j3a1", JudgmentBId = "j3a2", Text = "A is right. Winner: Judgment A" },
                new MetaJudgmentRecord { Id = "m2", PromptId = "p3", ResponseId = "r3a", JudgmentAId = "j3a2", JudgmentBId = "j3a1", Text = "B is right. Winner: Judgment B" },
            }),
        };
        return new PairsInput(context, responses, [judgments0, judgments1], meta);
    }

    private List<PreferencePairRecord> ReadPairs(ArtifactRef pairs) =>
        [.. JsonlReader.ReadFile(_temp.Store.Resolve(pairs), DatasetJsonContext.Default.PreferencePairRecord, new MalformedLineLog(MalformedLinePolicy.Fatal)).Select(l => l.Record)];

    [Fact]
    public async Task BuildPairsAsync_HandMadeShards_WritesHandComputedPairsAndMetrics()
    {
        var input = await WriteShardsAsync(await PrepareIterationAsync());

        var output = await RunActivity(() => _activities.BuildPairsAsync(input));

        Assert.Equal(IterationPath("pairs.jsonl"), output.Pairs.Path);
        var pairs = ReadPairs(output.Pairs);
        Assert.Equal(3, pairs.Count);
        Assert.Equal((PairKind.Actor, "p1", "r1a", "r1b", "A", "BBBB"), (pairs[0].Kind, pairs[0].PromptId, pairs[0].ChosenId, pairs[0].RejectedId, pairs[0].Chosen, pairs[0].Rejected));
        Assert.Equal((PairKind.Actor, "p3", "r3a", "r3b", "good", "bad!!"), (pairs[1].Kind, pairs[1].PromptId, pairs[1].ChosenId, pairs[1].RejectedId, pairs[1].Chosen, pairs[1].Rejected));
        Assert.Equal((4.0, 1.0), (pairs[1].ChosenScore, pairs[1].RejectedScore));
        Assert.Contains("question 1", pairs[0].Prompt, StringComparison.Ordinal);
        Assert.Equal((PairKind.Judge, "p3", "r3a", "j3a1", "j3a2"), (pairs[2].Kind, pairs[2].PromptId, pairs[2].ResponseId, pairs[2].ChosenId, pairs[2].RejectedId));
        Assert.Equal(("Great answer. Score: 5", "Okay answer. Score: 3"), (pairs[2].Chosen, pairs[2].Rejected));
        Assert.Equal(PromptTemplates.Default.Judge.Render(new TemplateValues("question 3", "good")).Text, pairs[2].Prompt);

        var metrics = output.Metrics;
        Assert.Equal((1, 3L, 6L, 12L, 1L), (metrics.Iteration, metrics.Prompts, metrics.Responses, metrics.Judgments, metrics.InvalidJudgments));
        Assert.Equal((2L, 1L, 2L), (metrics.ActorPairs, metrics.JudgePairs, metrics.MetaJudgments));
        // Rational figures computed by hand; 1e-12 absorbs only double rounding of the divisions.
        Assert.Equal(1.0 / 12, metrics.InvalidJudgmentRate, 1e-12);
        Assert.Equal((1 + 4 + 1 + 1 + 4 + 5) / 6.0, metrics.MeanResponseLength, 1e-12);
        Assert.Equal((4 + 2 + 3 + 3 + 4 + 1) / 6.0, metrics.MeanResponseScore, 1e-12);
        Assert.Equal((0.5, 0.5, 0.5, 1.0), (metrics.Omega1, metrics.Omega2, metrics.MetaJudgeFirstPositionRate, metrics.MetaJudgeHigherScoreRate));

        var metricsFile = _temp.Store.TryGetFile(IterationPath("metrics.json"));
        Assert.NotNull(metricsFile);
        var onDisk = System.Text.Json.JsonSerializer.Deserialize<IterationMetrics>(File.ReadAllText(_temp.Store.Resolve(metricsFile)), ArtifactJson.Options);
        Assert.Equal((metrics.ActorPairs, metrics.JudgePairs, metrics.InvalidJudgmentRate), (onDisk!.ActorPairs, onDisk.JudgePairs, onDisk.InvalidJudgmentRate));
        Assert.DoesNotContain(Directory.GetDirectories(_temp.Store.FullPath("runs/real-run/iteration-1")), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public async Task BuildPairsAsync_SecondCallWithSameShards_ReturnsSameWithoutRewriting()
    {
        var input = await WriteShardsAsync(await PrepareIterationAsync());
        var first = await RunActivity(() => _activities.BuildPairsAsync(input));
        var file = _temp.Store.FullPath(first.Pairs.Path);
        var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(file, old);

        var second = await RunActivity(() => _activities.BuildPairsAsync(input));

        Assert.Equal(first.Pairs, second.Pairs);
        Assert.Equal(first.Metrics.ActorPairs, second.Metrics.ActorPairs);
        Assert.Equal(first.Metrics.InvalidJudgmentRate, second.Metrics.InvalidJudgmentRate);
        Assert.Equal(old, File.GetLastWriteTimeUtc(file));
    }

    [Fact]
    public async Task BuildPairsAsync_ShardsRewrittenAfterReset_RebuildsFromTheNewShards()
    {
        var context = await PrepareIterationAsync();
        var first = await RunActivity(async () => await _activities.BuildPairsAsync(await WriteShardsAsync(context)));

        var rejudged = await WriteShardsAsync(context, p3SecondJudgmentOfBad: "Now it parses. Score: 2");
        var second = await RunActivity(() => _activities.BuildPairsAsync(rejudged));

        Assert.Equal(1, first.Metrics.InvalidJudgments);
        Assert.Equal(0, second.Metrics.InvalidJudgments);
        Assert.Equal(1.5, ReadPairs(second.Pairs)[1].RejectedScore);
    }

    [Fact]
    public async Task BuildPairsAsync_ShardAlteredAfterItWasWritten_FailsMissingInputNamingIt()
    {
        var input = await WriteShardsAsync(await PrepareIterationAsync());
        await File.AppendAllTextAsync(_temp.Store.FullPath(input.Responses[1].Path), "{\"id\":\"r3c\",\"promptId\":\"p3\",\"text\":\"sneaked\"}\n");

        var failure = await FailureOf(() => _activities.BuildPairsAsync(input), ErrorTypes.MissingInput);

        Assert.Contains("responses/shard-0001.jsonl", failure.Message, StringComparison.Ordinal);
        Assert.Null(_temp.Store.TryGetFile(IterationPath("pairs.jsonl")));
    }

    [Fact]
    public async Task BuildPairsAsync_JudgeIterationWithoutMetaJudgmentShards_FailsMissingInput()
    {
        var input = await WriteShardsAsync(await PrepareIterationAsync());

        var failure = await FailureOf(() => _activities.BuildPairsAsync(input with { MetaJudgments = [] }), ErrorTypes.MissingInput);

        Assert.Contains("trains the judge", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildPairsAsync_JudgmentShardsFewerThanResponseShards_FailsNonRetryableInsteadOfRetryingForever()
    {
        var input = await WriteShardsAsync(await PrepareIterationAsync());

        var failure = await FailureOf(() => _activities.BuildPairsAsync(input with { Judgments = [input.Judgments[0]] }), ErrorTypes.MissingInput);

        Assert.True(failure.NonRetryable);
        Assert.Contains("one judgments shard per responses shard", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildPairsAsync_ShardRecordsOutOfPromptOrder_FailsMissingInputNamingTheLine()
    {
        var context = await PrepareIterationAsync();
        var input = await WriteShardsAsync(context);
        // Shard 1 (p3) before shard 0 (p1, p2): p1's records come after p3's group.
        var swapped = input with { Responses = [input.Responses[1], input.Responses[0]] };

        var failure = await FailureOf(() => _activities.BuildPairsAsync(swapped), ErrorTypes.MissingInput);

        Assert.Contains("grouped by prompt", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PairsOutput_MetricsWithNaNRates_FailsWithTemporalDefaultConverterButSurvivesRunPayloadConverter()
    {
        // An iteration that does not train the judge has NaN meta-judge rates, and workflows carry PairsOutput:
        // the default converter refuses NaN, which is why the project needs its own converter.
        var output = new PairsOutput(new ArtifactRef("runs/a/pairs.jsonl", new string('a', 64), 1), new IterationMetrics
        {
            Iteration = 3,
            MetaJudgeFirstPositionRate = double.NaN,
            MetaJudgeHigherScoreRate = double.PositiveInfinity,
        });
        Assert.Throws<ArgumentException>(() => DataConverter.Default.PayloadConverter.ToPayload(output));

        var converter = RunPayloadConverter.DataConverter.PayloadConverter;
        var back = converter.ToValue<PairsOutput>(converter.ToPayload(output));

        Assert.True(double.IsNaN(back.Metrics.MetaJudgeFirstPositionRate));
        Assert.Equal(double.PositiveInfinity, back.Metrics.MetaJudgeHigherScoreRate);
        Assert.Equal(output.Pairs, back.Pairs);
    }
}
