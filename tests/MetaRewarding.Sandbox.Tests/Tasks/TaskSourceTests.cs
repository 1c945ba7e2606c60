using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Tests.Tasks;

public class TaskSourceTests
{
    [Theory]
    [InlineData(TaskFamily.Constraint)]
    [InlineData(TaskFamily.Reverse)]
    [InlineData(TaskFamily.Sort)]
    public void Get_SameSettingsTwice_GivesTheSameTasks(TaskFamily family)
    {
        var first = new TaskSource(SandboxSettings.For(family)).Take(DatasetSplit.Evaluation, 200);
        var second = new TaskSource(SandboxSettings.For(family));
        Assert.Equal(first.Select(t => t.Prompt), Enumerable.Range(0, 200).Select(i => second.Get(DatasetSplit.Evaluation, i).Prompt));
    }

    [Fact]
    public void Get_DifferentSplitSeed_GivesOtherTasks()
    {
        var a = new TaskSource(new SandboxSettings()).Take(DatasetSplit.Train, 50).Select(t => t.Prompt);
        var b = new TaskSource(new SandboxSettings { SplitSeed = 7 }).Take(DatasetSplit.Train, 50).Select(t => t.Prompt);
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData(TaskFamily.Constraint)]
    [InlineData(TaskFamily.Reverse)]
    [InlineData(TaskFamily.Sort)]
    public void Take_EachSplit_IsDisjointFromTheOthers(TaskFamily family)
    {
        var source = new TaskSource(SandboxSettings.For(family));
        var prompts = Enum.GetValues<DatasetSplit>().ToDictionary(s => s, s => source.Take(s, 1000).Select(t => t.Prompt).ToHashSet());
        foreach (var split in Enum.GetValues<DatasetSplit>())
        {
            Assert.All(prompts[split], p => Assert.Equal(split, source.SplitOf(SandboxTasks.Parse(p))));
            foreach (var other in Enum.GetValues<DatasetSplit>().Where(o => o != split))
            {
                Assert.Empty(prompts[split].Intersect(prompts[other]));
            }
        }
    }

    [Fact]
    public void DistinctTasks_Constraint_PartitionAll224WithRoughlyTheFractions()
    {
        var source = new TaskSource(new SandboxSettings());
        var counts = Enum.GetValues<DatasetSplit>().Select(s => source.DistinctTasks(s)!.Count).ToArray();
        Assert.Equal(224, counts.Sum());
        Assert.Equal(224, Enum.GetValues<DatasetSplit>().SelectMany(s => source.DistinctTasks(s)!).Select(t => t.Prompt).Distinct().Count());

        // Hash assignment is binomial: train ~ Bin(224, 0.5) has SD 7.5, the others SD 6.5; 4 SD bounds.
        Assert.InRange(counts[0], 112 - 30, 112 + 30);
        Assert.InRange(counts[1], 56 - 26, 56 + 26);
        Assert.InRange(counts[2], 56 - 26, 56 + 26);
    }

    [Fact]
    public void Take_ConstraintEvaluation1000_UsesEveryEvaluationTask()
    {
        var source = new TaskSource(new SandboxSettings());
        var seen = source.Take(DatasetSplit.Evaluation, 1000).Select(t => t.Prompt).ToHashSet();
        Assert.Equal(source.DistinctTasks(DatasetSplit.Evaluation)!.Select(t => t.Prompt).ToHashSet(), seen);
    }

    [Fact]
    public void Constructor_InvalidSettings_ThrowsListingTheProblems()
    {
        var error = Assert.Throws<MetaRewarding.Alignment.Configuration.ConfigurationException>(
            () => new TaskSource(new SandboxSettings { MinLength = 1, TrainFraction = 2 }));
        Assert.Contains("sandbox.minLength must be in [2, 7] for Constraint tasks, got 1", error.Errors);
        Assert.Contains("sandbox.trainFraction must be in [0.05, 0.9], got 2", error.Errors);
    }
}
