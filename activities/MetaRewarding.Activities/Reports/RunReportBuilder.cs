using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Activities.Reports;

/// <summary>Turns the workflow's <see cref="ReportInput"/> into the rows of <see cref="RunReport"/>.</summary>
public static class RunReportBuilder
{
    public static RunReport Build(ReportInput input, LengthUnit lengthUnit, ArtifactRef? seedModel = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var unit = lengthUnit == LengthUnit.Tokens ? "tokens" : "characters";
        return new RunReport
        {
            RunId = input.RunId,
            LengthUnit = unit,
            Seed = WithEvaluation(new ReportRow { Index = 0, Label = "seed", Model = seedModel }, input.SeedEvaluation),
            Iterations = [.. input.Iterations.OrderBy(i => i.Iteration).Select(i => IterationRow(i, lengthUnit))],
        };
    }

    private static ReportRow IterationRow(IterationSummary summary, LengthUnit lengthUnit)
    {
        var data = summary.Data;
        var row = new ReportRow
        {
            Index = summary.Iteration,
            Label = $"iteration-{summary.Iteration}",
            TrainedJudge = summary.TrainedJudge,
            Prompts = data.Prompts,
            Responses = data.Responses,
            ActorPairs = data.ActorPairs,
            JudgePairs = data.JudgePairs,
            InvalidJudgmentRate = Finite(data.InvalidJudgmentRate),
            MeanResponseLength = Finite(data.MeanResponseLength),
            MeanResponseChars = lengthUnit == LengthUnit.Characters ? Finite(data.MeanResponseLength) : null,
            MeanResponseScore = Finite(data.MeanResponseScore),
            Omega1 = summary.TrainedJudge ? Finite(data.Omega1) : null,
            Omega2 = summary.TrainedJudge ? Finite(data.Omega2) : null,
            OnPolicyMetaJudgePositionARate = data.MetaJudgments > 0 ? Finite(data.MetaJudgeFirstPositionRate) : null,
            OnPolicyMetaJudgeHigherScoreRate = data.MetaJudgments > 0 ? Finite(data.MetaJudgeHigherScoreRate) : null,
            EloTopTies = summary.TrainedJudge ? data.EloTopTies : null,
            DpoLoss = Finite(summary.Training.MeanLoss),
            RewardAccuracy = Finite(summary.Training.RewardAccuracy),
            RewardMargin = Finite(summary.Training.RewardMargin),
            TrainingSteps = summary.Training.Steps,
            Model = summary.Model,
        };
        return WithEvaluation(row, summary.Evaluation);
    }

    private static ReportRow WithEvaluation(ReportRow row, EvaluationOutput? evaluation)
    {
        var metrics = evaluation?.Metrics ?? new Dictionary<string, double>();
        double? Get(string key) => metrics.TryGetValue(key, out var value) ? Finite(value) : null;
        return row with
        {
            ActorAccuracy = Get("actorAccuracy"),
            ActorSampledAccuracy = Get("actorSampledAccuracy"),
            PassAtK = Get("passAtK"),
            JudgeAgreement = Get("judgeAgreement"),
            JudgeWithinOne = Get("judgeWithinOne"),
            JudgeSpearman = Get("judgeSpearman"),
            JudgeParseRate = Get("judgeParseRate"),
            MetaJudgeAccuracy = Get("metaJudgeAccuracy"),
            MetaJudgeHigherScoreRate = Get("metaJudgeHigherScoreRate"),
            MetaJudgePositionARate = Get("metaJudgePositionARate"),
            MeanResponseChars = row.MeanResponseChars ?? Get("meanResponseChars"),
            Evaluation = metrics.Where(pair => double.IsFinite(pair.Value)).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal),
        };
    }

    /// <summary>NaN (a rate over nothing) and infinities become null: "not measured", which JSON can say.</summary>
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
