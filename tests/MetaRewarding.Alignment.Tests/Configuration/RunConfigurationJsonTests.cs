using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Files;

namespace MetaRewarding.Alignment.Tests.Configuration;

public class RunConfigurationJsonTests
{
    [Fact]
    public void Paper_Defaults_AreThePapersScheduleTable()
    {
        var paper = RunConfiguration.Paper;

        Assert.Equal(4, paper.Iterations.Count);
        Assert.Equal([true, true, false, false], paper.Iterations.Select(i => i.TrainsJudge));
        Assert.Equal([0, 0.32, 0.32, 0.4], paper.Iterations.Select(i => i.ActorPairs.Rho));
        Assert.Equal([2500, null, null, null], paper.Iterations.Select(i => i.ActorPairs.ChosenMaxLength));
        Assert.Equal([1100, 1000], paper.Iterations.Take(2).Select(i => i.JudgePairs.ChosenMaxLength));
        Assert.All(paper.Iterations, i =>
        {
            Assert.Equal(7, i.ResponsesPerPrompt);
            Assert.Equal(11, i.JudgmentsPerResponse);
            Assert.Equal(5000, i.Prompts);
            Assert.Equal(0.8, i.ActorSampling.Temperature);
            Assert.Equal(0.95, i.ActorSampling.TopP);
            Assert.Equal(0.1, i.Dpo.Beta);
            Assert.Equal(5e-6, i.Dpo.LearningRate);
            Assert.Equal(LearningRateSchedule.Cosine, i.Dpo.LearningRateSchedule);
            Assert.Equal(32, i.Dpo.GlobalBatchSize);
            Assert.Null(i.Dpo.RpoAlpha);
            Assert.False(i.JudgePairs.RequireConsistentVerdicts);
        });
        Assert.Equal(LengthUnit.Characters, paper.LengthUnit);
        Assert.Null(paper.SeedSft);
        Assert.Empty(RunConfigurationValidator.Validate(paper));
    }

    [Fact]
    public void Serialize_ThenParse_RoundTripsEveryField()
    {
        var custom = RunConfiguration.Paper with
        {
            Seed = 99,
            LengthUnit = LengthUnit.Tokens,
            ShardSize = 17,
            MalformedLines = MalformedLinePolicy.Fatal,
            SeedSft = new SeedSftSettings { Dataset = "eft.jsonl", Epochs = 3, MaxGradNorm = null },
            Templates = new TemplateFiles { Judge = "judge.txt" },
            Iterations =
            [
                new IterationSettings
                {
                    TrainsJudge = true,
                    Prompts = 12,
                    JudgeSampling = new SamplingSettings { Temperature = 1.0, TopP = 0.9, MaxNewTokens = 99 },
                    ActorPairs = new ActorPairSettings { Rho = 0.25, ChosenMaxLength = 7, MinScoreGap = 0.5 },
                    JudgePairs = new JudgePairSettings { ChosenMaxLength = 3, RequireConsistentVerdicts = true, EloL2Penalty = 0.01 },
                    Dpo = new DpoSettings { RpoAlpha = 1.0, LearningRateSchedule = LearningRateSchedule.Linear, Epochs = 2 },
                },
            ],
        };

        var json = RunConfigurationJson.Serialize(custom);
        var parsed = RunConfigurationJson.Parse(json);

        Assert.Equal(json, RunConfigurationJson.Serialize(parsed));
        Assert.Equal(custom with { Iterations = parsed.Iterations }, parsed); // records compare by value; lists by reference
        Assert.Equal(custom.Iterations[0], parsed.Iterations[0]);
        Assert.Contains("\"malformedLines\": \"fatal\"", json, StringComparison.Ordinal);
        Assert.Contains("\"learningRateSchedule\": \"linear\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyObject_IsThePaper()
    {
        Assert.Equal(RunConfigurationJson.Serialize(RunConfiguration.Paper), RunConfigurationJson.Serialize(RunConfigurationJson.Parse("{}")));
    }

    [Fact]
    public void Parse_CommentsAndTrailingCommas_AreAllowed_OmittedFieldsKeepDefaults()
    {
        const string json = """
            {
              // one short iteration to try things out
              "seed": 5,
              "iterations": [
                { "trainsJudge": true, "actorPairs": { "rho": 0.1, }, }, /* defaults elsewhere */
              ],
            }
            """;

        var parsed = RunConfigurationJson.Parse(json);

        Assert.Equal(5, parsed.Seed);
        var iteration = Assert.Single(parsed.Iterations);
        Assert.Equal(0.1, iteration.ActorPairs.Rho);
        Assert.Equal(7, iteration.ResponsesPerPrompt);
        Assert.Null(iteration.ActorPairs.ChosenMaxLength);
    }

    [Theory]
    [InlineData("{\"seed\": 1, \"rhoo\": 2}", "unknown field 'rhoo' at $.rhoo (line 1)")]
    [InlineData("{\"iterations\": [{\"actorPairs\": {\"rho\": 0, \"cap\": 5}}]}", "unknown field 'cap' at $.iterations[0].actorPairs.cap (line 1)")]
    [InlineData("{\"iterations\": null}", "at $.iterations (line 1)")]
    [InlineData("{\"shardSize\": \"ten\"}", "at $.shardSize (line 1)")]
    [InlineData("{\"malformedLines\": 1}", "at $.malformedLines (line 1)")]
    [InlineData("{\"lengthUnit\": \"words\"}", "at $.lengthUnit (line 1)")]
    [InlineData("{\"seed\": 1", "(line 1)")]
    [InlineData("null", "JSON null")]
    public void Parse_BadJson_ThrowsNamingThePlace(string json, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => RunConfigurationJson.Parse(json, "run.json"));

        Assert.StartsWith("run.json: ", Assert.Single(error.Errors), StringComparison.Ordinal);
        Assert.Contains(expected, error.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_SaysSoAndHowToMakeOne()
    {
        var error = Assert.Throws<ConfigurationException>(() => RunConfigurationJson.Load("/nonexistent/run.json"));

        Assert.Contains("'/nonexistent/run.json' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("--init", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_ThenLoad_RoundTrips()
    {
        var path = Path.Combine(Path.GetTempPath(), $"run-{Guid.NewGuid():N}.json");
        try
        {
            RunConfigurationJson.Save(RunConfiguration.Paper, path);

            Assert.Equal(RunConfigurationJson.Serialize(RunConfiguration.Paper), RunConfigurationJson.Serialize(RunConfigurationJson.Load(path)));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, AtomicFile.TemporaryPrefixFor(path) + "*")); // no temporary left
        }
        finally
        {
            File.Delete(path);
        }
    }
}
