using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Metrics;

namespace MetaRewarding.Activities.Tests.Reports;

internal static class ReportFixtures
{
    public static ArtifactRef Model(int iteration) => new($"runs/real-run/iteration-{iteration}/model", new string((char)('a' + iteration), 64), 1000);

    public static EvaluationOutput Evaluation(string label, double actorAccuracy, double judgeAgreement) => new(
        label,
        new Dictionary<string, double>
        {
            ["actorAccuracy"] = actorAccuracy,
            ["actorSampledAccuracy"] = actorAccuracy - 0.1,
            ["passAtK"] = actorAccuracy + 0.1,
            ["judgeAgreement"] = judgeAgreement,
            ["judgeWithinOne"] = judgeAgreement + 0.2,
            ["judgeSpearman"] = 0.3,
            ["judgeParseRate"] = 0.99,
            ["metaJudgeAccuracy"] = 0.6,
            ["metaJudgeHigherScoreRate"] = 0.9,
            ["metaJudgePositionARate"] = double.NaN,
        },
        new ArtifactRef($"runs/real-run/evaluation/{label}.json", new string('e', 64), 10));

    public static IterationSummary Iteration(int t, bool trainsJudge, double dpoLoss) => new(
        t,
        trainsJudge,
        Model(t),
        new IterationMetrics
        {
            Iteration = t,
            Prompts = 100,
            Responses = 700,
            ActorPairs = 80 + t,
            JudgePairs = trainsJudge ? 40 + t : 0,
            InvalidJudgmentRate = 0.05 / t,
            MeanResponseLength = 120 + (10 * t),
            MeanResponseScore = 3.5,
            MetaJudgments = trainsJudge ? 1000 : 0,
            MetaJudgeFirstPositionRate = trainsJudge ? 0.681 : double.NaN,
            MetaJudgeHigherScoreRate = trainsJudge ? 0.977 : double.NaN,
            Omega1 = 0.4,
            Omega2 = 0.6,
            EloTopTies = trainsJudge ? 3 : 0,
        },
        new TrainingOutput(Model(t), Steps: 10 * t, Pairs: 120, MeanLoss: dpoLoss, RewardAccuracy: 0.75, RewardMargin: 0.2),
        Evaluation($"iteration-{t}", 0.5 + (0.1 * t), 0.4 + (0.05 * t)));
}
