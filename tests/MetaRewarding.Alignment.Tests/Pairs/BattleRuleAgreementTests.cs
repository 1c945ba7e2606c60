using System.Text.Json;
using FsCheck.Xunit;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Pairs;
using MetaRewarding.TestSupport;

namespace MetaRewarding.Alignment.Tests.Pairs;

/// <summary>
/// The meta-judge activity plans battles with <see cref="PromptBattles.Plan"/>; pair building checks the battles on
/// file with <see cref="BattleTarget.Select"/> inside its streaming reader. On any shard — duplicate responses,
/// repeated, invalid and agreeing judgments, judgments of duplicates — every planned battle must be accepted, and
/// exactly the prompts without a plan are skipped for want of judges that disagree.
/// </summary>
public class BattleRuleAgreementTests
{
    private static readonly string[] ResponseTexts = ["A", "B", "C"];

    private static readonly string[] JudgmentTexts =
        ["Good. Score: 4", "Fine. Score: 4", "Weak. Score: 1", "Great. Score: **5**", "No verdict.", "Score: [3]", "Score: 9", "Good. Score: 4"];

    [Property(MaxTest = 200)]
    public bool PlanAndPairBuilding_RandomShard_AgreeOnEveryPrompt(int seed)
    {
        var random = new Random(seed);
        var prompts = new List<PromptRecord>();
        var responses = new List<ResponseRecord>();
        var judgments = new List<JudgmentRecord>();
        for (var p = 0; p < random.Next(1, 6); p++)
        {
            var prompt = new PromptRecord { Id = $"p{p}", Prompt = $"Question {p}?" };
            prompts.Add(prompt);
            for (var r = 0; r < random.Next(0, 5); r++)
            {
                var response = new ResponseRecord { Id = $"p{p}/r{r}", PromptId = prompt.Id, Text = ResponseTexts[random.Next(ResponseTexts.Length)] };
                responses.Add(response);
                for (var j = 0; j < random.Next(0, 5); j++)
                {
                    judgments.Add(new JudgmentRecord { Id = $"{response.Id}/j{j}", PromptId = prompt.Id, ResponseId = response.Id, Text = JudgmentTexts[random.Next(JudgmentTexts.Length)] });
                }
            }
        }

        var runSeed = random.Next();
        var plans = PromptBattles.Plan(runSeed, 1, responses, judgments);
        var metaJudgments = plans.SelectMany(plan => plan.Battles.Select((battle, b) => new MetaJudgmentRecord
        {
            Id = $"{plan.Response.Id}/m{b}",
            PromptId = plan.Response.PromptId,
            ResponseId = plan.Response.Id,
            JudgmentAId = plan.Judgments[battle.First].Id,
            JudgmentBId = plan.Judgments[battle.Second].Id,
            Text = random.Next(2) == 0 ? "Winner: Judgment A" : "Winner: Judgment B",
        })).ToList();

        using var folder = new TemporaryFolder("alignment-tests-");
        var json = DatasetJsonContext.Default;
        var inputs = new IterationPairInputs(
            folder.Write("prompts.jsonl", [.. prompts.Select(x => JsonSerializer.Serialize(x, json.PromptRecord))]),
            folder.Write("responses.jsonl", [.. responses.Select(x => JsonSerializer.Serialize(x, json.ResponseRecord))]),
            folder.Write("judgments.jsonl", [.. judgments.Select(x => JsonSerializer.Serialize(x, json.JudgmentRecord))]),
            folder.Write("meta-judgments.jsonl", [.. metaJudgments.Select(x => JsonSerializer.Serialize(x, json.MetaJudgmentRecord))]));
        var context = new IterationPairContext { RunSeed = runSeed, Iteration = 1, Settings = new IterationSettings { TrainsJudge = true } };

        var metrics = IterationPairBuilder.Build(inputs, context, _ => { });

        var unplanned = metrics.JudgeSkips.GetValueOrDefault("tooFewDistinctJudgments") + metrics.JudgeSkips.GetValueOrDefault("judgmentsAgree");
        return metrics.JudgeSkips.GetValueOrDefault("metaJudgmentsMismatch") == 0
            && metrics.MetaJudgments == metaJudgments.Count
            && unplanned == prompts.Count - plans.Count
            && metrics.MalformedLines == 0;
    }
}
