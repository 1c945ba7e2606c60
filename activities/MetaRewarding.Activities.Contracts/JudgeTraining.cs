using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Activities.Contracts;

/// <summary>
/// The one place that decides whether an iteration trains the judge, i.e. meta-judges its judgments and builds
/// judge pairs (docs/ALGORITHM.md, step 5). The run workflow asks it once per iteration and passes the answer on;
/// pair building asks it again to check the inputs it was given, and the two must agree.
/// </summary>
public static class JudgeTraining
{
    /// <summary>
    /// True when the schedule says the iteration trains the judge (<see cref="IterationSettings.TrainsJudge"/>) and
    /// the run is judged by the model. The oracle control judges with ground truth and the judge-free baseline at
    /// random: there are no model judgments to meta-judge, so neither trains the judge.
    /// </summary>
    public static bool IsTrainedIn(IterationSettings iteration, JudgeMode judgeMode)
    {
        ArgumentNullException.ThrowIfNull(iteration);
        return iteration.TrainsJudge && judgeMode == JudgeMode.Model;
    }
}
