using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Formats;
using MetaRewarding.Sandbox.Sft;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Tests.Sft;

public class SftDatasetTests
{
    private static readonly SftDataset Data = new(new SandboxSettings());

    [Fact]
    public void Example_SameSeed_IsIdenticalAcrossInstancesAndOrder()
    {
        var other = new SftDataset(new SandboxSettings());
        var forward = Enumerable.Range(0, 300).Select(i => Data.Example(i)).ToList();
        var backward = Enumerable.Range(0, 300).Reverse().Select(i => other.Example(i)).Reverse().ToList();
        Assert.Equal(forward, backward);
        Assert.Equal(Data.Batch(17, 8), other.Batches(8, firstBatch: 17).First());
    }

    [Fact]
    public void Example_DifferentDataSeed_GivesOtherData()
    {
        var other = new SftDataset(new SandboxSettings { DataSeed = 2 });
        var same = Enumerable.Range(0, 200).Count(i => Data.Example(i) == other.Example(i));
        Assert.True(same < 20, $"{same} of 200 examples identical under another seed");
    }

    [Fact]
    public void Batch_AnyIndex_HasOneKindAndTheMixHoldsOverBatches()
    {
        var batches = Enumerable.Range(0, 4000).Select(b => Data.Batch(b, 2)).ToList();
        Assert.All(batches, b => Assert.Single(b.Select(e => e.Kind).Distinct()));

        // Batch kinds are i.i.d. draws from the mix: with 4,000 batches the SD of a share is <= 0.008; 0.03 is ~4 SD.
        var share = (SftExampleKind kind) => batches.Count(b => b[0].Kind == kind) / 4000.0;
        Assert.InRange(share(SftExampleKind.Actor), 0.35 - 0.03, 0.35 + 0.03);
        Assert.InRange(share(SftExampleKind.Judge), 0.40 - 0.03, 0.40 + 0.03);
        Assert.InRange(share(SftExampleKind.MetaJudge), 0.25 - 0.03, 0.25 + 0.03);
    }

    [Fact]
    public void Examples_AllKinds_UseTrainTasksAndFitTheLimits()
    {
        var tasks = Data.Tasks;
        for (var i = 0; i < 3000; i++)
        {
            var actor = Data.ActorDemonstrationAt(i);
            var judge = Data.JudgeDemonstrationAt(i);
            var meta = Data.MetaJudgeDemonstrationAt(i);
            Assert.Equal(DatasetSplit.Train, tasks.SplitOf(actor.Task));
            Assert.Equal(DatasetSplit.Train, tasks.SplitOf(judge.Task));
            Assert.Equal(DatasetSplit.Train, tasks.SplitOf(meta.Task));
            Assert.True(actor.Response.Length <= SandboxLimits.ActorMaxNewTokens, actor.Response);
            Assert.True(judge.Response.Length <= SandboxLimits.ActorMaxNewTokens, judge.Response);
            var metaText = Data.Render(meta);
            Assert.True(metaText.Prompt.Length + metaText.Completion.Length + SandboxLimits.SpecialTokens <= SandboxLimits.LongestSequence(6));
        }
    }

    [Fact]
    public void ActorDemonstrations_10k_HaveTheStatedErrorRates()
    {
        var demos = Enumerable.Range(0, 10_000).Select(i => Data.ActorDemonstrationAt(i)).ToList();
        foreach (var demo in demos)
        {
            var marks = demo.Task.Marks(demo.Response);
            Assert.Equal(!demo.FormatError, marks[0]);

            // A content error always shows in the content marks; an error-free answer meets them all.
            Assert.Equal(demo.ContentErrors == 0, marks.Skip(1).All(m => m));
        }

        // Binomial SDs at n = 10,000: 0.0046 (p = 0.30), 0.0036 (p = 0.15), 0.0049 (p = 0.595); 0.02 is >= 4 SD.
        Assert.InRange(demos.Count(d => d.ContentErrors > 0) / 10_000.0, 0.28, 0.32);
        Assert.InRange(demos.Count(d => d.FormatError) / 10_000.0, 0.13, 0.17);
        Assert.InRange(demos.Count(d => Rubric.IsCorrect(d.Task, d.Response)) / 10_000.0, 0.7 * 0.85 - 0.02, (0.7 * 0.85) + 0.02);

        // Of the flawed answers 30% have two errors (SD 0.008 at n ~ 3,000; 0.035 is > 4 SD).
        var flawed = demos.Where(d => d.ContentErrors > 0).ToList();
        Assert.InRange(flawed.Count(d => d.ContentErrors == 2) / (double)flawed.Count, 0.265, 0.335);
    }

    [Fact]
    public void JudgeDemonstrations_10k_ParseAndCarryTheStatedNoise()
    {
        var flipped = 0;
        var scores = new int[6];
        for (var i = 0; i < 10_000; i++)
        {
            var demo = Data.JudgeDemonstrationAt(i);
            var example = Data.Render(demo);
            Assert.Equal(demo.TrueMarks, demo.Task.Marks(demo.Response));
            var parsed = JudgeScoreParser.Parse(new ModelCompletion(example.Completion));
            Assert.True(parsed.IsValid, example.Completion);
            Assert.Equal(demo.LabelMarks.Count(m => m), parsed.Score);
            Assert.Equal(demo.LabelMarks, JudgmentFormat.TryParseMarks(new ModelCompletion(example.Completion)));
            flipped += MarkErrors.Count(demo.LabelMarks, demo.TrueMarks);
            scores[demo.TrueMarks.Count(m => m)]++;
        }

        // 50,000 marks flipped i.i.d. with p = 0.15: SD 0.0016, 0.01 is > 6 SD.
        Assert.InRange(flipped / 50_000.0, 0.14, 0.16);

        // True scores are stratified uniform over 0–5: SD of a share 0.0037 at n = 10,000; 0.02 is > 5 SD.
        Assert.All(scores, count => Assert.InRange(count / 10_000.0, (1 / 6.0) - 0.02, (1 / 6.0) + 0.02));
    }

    [Fact]
    public void MetaJudgeDemonstrations_10k_AreBalancedAndConsistent()
    {
        var higherWins = 0;
        var scoresDiffer = 0;
        var aWins = 0;
        var biases = new Dictionary<JudgmentBias, int>();
        const int N = 10_000;
        for (var i = 0; i < N; i++)
        {
            var demo = Data.MetaJudgeDemonstrationAt(i);
            var example = Data.Render(demo);

            // The verdict parses with Alignment's parser and names the judgment with fewer wrong marks.
            var verdict = MetaJudgeVerdictParser.Parse(new ModelCompletion(example.Completion));
            Assert.Equal(demo.Winner, verdict.Winner);
            Assert.NotEqual(demo.ErrorsA, demo.ErrorsB);
            Assert.Equal(demo.ErrorsA < demo.ErrorsB ? VerdictPosition.A : VerdictPosition.B, demo.Winner);

            // The reasoning form carries the true marks and both error counts.
            var reasoning = MetaJudgmentFormat.TryParseReasoning(new ModelCompletion(example.Completion))!;
            Assert.Equal(demo.Task.Marks(demo.Response), reasoning.OwnMarks);
            Assert.Equal((demo.ErrorsA, demo.ErrorsB), (reasoning.ErrorsA, reasoning.ErrorsB));

            // The prompt quotes both judgments in the judge format, each ending in a parsable score.
            var quoted = example.Prompt.Split('|');
            Assert.Equal(JudgmentFormat.Format(demo.MarksA), quoted[2]);
            Assert.Equal(JudgmentFormat.Format(demo.MarksB), quoted[3]);

            var scoreA = demo.MarksA.Count(m => m);
            var scoreB = demo.MarksB.Count(m => m);
            if (scoreA != scoreB)
            {
                scoresDiffer++;
                higherWins += (scoreA > scoreB) == (demo.Winner == VerdictPosition.A) ? 1 : 0;
            }

            aWins += demo.Winner == VerdictPosition.A ? 1 : 0;
            foreach (var bias in new[] { demo.BiasA, demo.BiasB })
            {
                biases[bias] = biases.GetValueOrDefault(bias) + 1;
            }
        }

        // "Higher score wins" is decided by a fair coin per item: SD 0.0055 at n ~ 8,000; 0.025 is > 4 SD.
        Assert.True(scoresDiffer > N / 2, $"only {scoresDiffer} items with different scores");
        Assert.InRange(higherWins / (double)scoresDiffer, 0.475, 0.525);

        // Positions are symmetric: SD 0.005; 0.025 is 5 SD.
        Assert.InRange(aWins / (double)N, 0.475, 0.525);

        // Systematically biased judgments are present (the acceptance step reweights the 30/30/40 draw somewhat).
        Assert.True(biases[JudgmentBias.Lenient] > N / 5 && biases[JudgmentBias.Strict] > N / 5, string.Join(", ", biases));
    }
}
