using MetaRewarding.Activities.Contracts;
using MetaRewarding.Worker.Cli;
using MetaRewarding.Worker.Experiments;

namespace MetaRewarding.Worker.Tests.Experiments;

public class ExperimentPlanTests
{
    private static readonly string Folder = Path.GetTempPath();

    [Fact]
    public void Create_AllArmsThreeSeeds_EveryArmUnderEverySeedFromOneRunFile()
    {
        var file = DemoCommand.DemoRunFile(Folder);
        var plan = ExperimentPlan.Create("exp", file, Arms.All, [1, 2, 3], new TaskQueues());

        Assert.Equal(15, plan.Runs.Count);
        Assert.Equal(15, plan.Runs.Select(r => r.RunId).Distinct().Count());
        Assert.Equal("exp-meta-rewarding-seed1", plan.SeedOwner.RunId);
        Assert.All(plan.Runs, r => Assert.Equal(r.LoopSeed, r.Input.Configuration.Seed));

        // Arms differ only in who judges, who meta-judges and whether the judge trains.
        var byArm = plan.Runs.Where(r => r.LoopSeed == 1).ToDictionary(r => r.Arm);
        Assert.Equal((JudgeMode.Model, MetaJudgeMode.Model), (byArm[Arms.MetaRewarding].Input.JudgeMode, byArm[Arms.MetaRewarding].Input.MetaJudgeMode));
        Assert.Equal(JudgeMode.Oracle, byArm[Arms.Oracle].Input.JudgeMode);
        Assert.Equal(JudgeMode.Random, byArm[Arms.JudgeFree].Input.JudgeMode);
        Assert.Equal(MetaJudgeMode.Oracle, byArm[Arms.OracleMetaJudge].Input.MetaJudgeMode);
        Assert.All(byArm[Arms.OwnJudge].Input.Configuration.Iterations, i => Assert.False(i.TrainsJudge));
        Assert.Equal(
            file.Configuration.Iterations.Select(i => i.TrainsJudge),
            byArm[Arms.OracleMetaJudge].Input.Configuration.Iterations.Select(i => i.TrainsJudge));
        Assert.All(byArm.Values, r => Assert.Equal(
            file.Configuration.Iterations.Select(i => (i.Prompts, i.ResponsesPerPrompt, i.Dpo)),
            r.Input.Configuration.Iterations.Select(i => (i.Prompts, i.ResponsesPerPrompt, i.Dpo))));
    }

    [Fact]
    public void Create_OneSeed_IdsAreIdAndArm()
    {
        var plan = ExperimentPlan.Create("demo-1", DemoCommand.DemoRunFile(Folder), Arms.Demo, [1234], new TaskQueues());
        Assert.Equal(["demo-1-meta-rewarding", "demo-1-oracle"], plan.Runs.Select(r => r.RunId));
    }

    [Fact]
    public void Get_UnknownArm_NamesTheArms()
    {
        var e = Assert.Throws<ArgumentException>(() => Arms.Get("self"));
        Assert.Contains("judge-free", e.Message, StringComparison.Ordinal);
    }
}
