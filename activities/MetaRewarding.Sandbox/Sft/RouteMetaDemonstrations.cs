using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Evaluation;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Sft;

/// <summary>
/// Generates route meta-judge demonstrations (<see cref="RouteMetaJudgeDemonstration"/>): judgments drawn as for
/// the constraint family (noisy, lenient or strict marks, and a witness with the same noise), kept when they
/// disagree and the clean check of their first disagreement names the judgment with fewer errors. Balanced: a
/// fair coin decides whether, when the scores differ, the better judgment is the higher-scored one.
/// </summary>
internal static class RouteMetaDemonstrations
{
    public static RouteMetaJudgeDemonstration At(TaskSource tasks, SandboxSettings settings, SandboxRandom random)
    {
        var higherShouldWin = random.Chance(0.5);
        RouteMetaJudgeDemonstration? fallback = null;
        for (var attempt = 0; attempt < MetaJudgeBalance.MaxResponses; attempt++)
        {
            var task = (RouteTask)tasks.Sample(DatasetSplit.Train, random);
            var response = ResponseFactory.JudgedResponse(task, settings, random);
            var truth = task.Marks(response);
            for (var draw = 0; draw < MetaJudgeBalance.JudgmentDrawsPerResponse; draw++)
            {
                var textA = Draw(task, response, truth, settings, random);
                var textB = Draw(task, response, truth, settings, random);
                var a = new ModelCompletion(textA);
                var b = new ModelCompletion(textB);
                if (RouteMetaRule.FirstDisagreement(a, b) is not { } point)
                {
                    continue;
                }

                var errorA = task.ErrorOf(response, a);
                var errorB = task.ErrorOf(response, b);
                var holds = RouteMetaRule.Holds(task, response, point);
                var better = RouteMetaRule.Decide(point, holds, a);
                if (errorA.CompareTo(errorB) == 0 || (errorA < errorB) != (better == VerdictPosition.A))
                {
                    continue;
                }

                var label = random.Chance(settings.JudgeMarkFlipRate) ? !holds : holds;
                var candidate = new RouteMetaJudgeDemonstration(task, response, textA, textB, point, holds, label, better, RouteMetaRule.Decide(point, label, a));
                fallback = candidate;
                var scoreA = JudgeScoreParser.Parse(a).Score;
                var scoreB = JudgeScoreParser.Parse(b).Score;
                if (MetaJudgeBalance.Keeps(scoreA, scoreB, better, higherShouldWin))
                {
                    return candidate;
                }
            }
        }

        return fallback ?? throw new InvalidOperationException("No route meta-judge demonstration with two different judgments was found: raise judgeMarkFlipRate or biasedJudgmentRate.");
    }

    private static string Draw(RouteTask task, string response, bool[] truth, SandboxSettings settings, SandboxRandom random)
    {
        var marks = JudgmentNoise.Apply(truth, SftDataset.DrawBias(settings, random), settings.JudgeMarkFlipRate, settings.BiasStrength, random);
        return task.Judgment(marks, WitnessNoise.Cite(task, response, marks[RouteTask.EdgesCriterion], settings.JudgeMarkFlipRate, random));
    }
}
