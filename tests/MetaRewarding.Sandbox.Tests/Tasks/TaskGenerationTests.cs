using FsCheck.Xunit;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Tests.Tasks;

public class TaskGenerationTests
{
    private static ISandboxTask Draw(TaskFamily family, int seed, out SandboxRandom random)
    {
        random = new SandboxRandom((ulong)seed);
        var settings = SandboxSettings.For(family);
        return SandboxTasks.Sample(family, settings.MinLength, settings.MaxLength, random);
    }

    [Property(MaxTest = 300)]
    public bool SampleCorrectAnswer_AnyTask_MeetsEveryCriterion(int seed, byte familyByte)
    {
        var task = Draw((TaskFamily)(familyByte % 3), seed, out var random);
        return Rubric.IsCorrect(task, "A: " + task.SampleCorrectAnswer(random));
    }

    [Property(MaxTest = 300)]
    public bool Corrupt_CorrectAnswer_BreaksTheTargetedCriterion(int seed, byte familyByte, byte kindByte)
    {
        var task = Draw((TaskFamily)(familyByte % 3), seed, out var random);
        var kind = kindByte % task.ContentErrorCriteria.Count;
        var corrupted = task.Corrupt(task.SampleCorrectAnswer(random), kind, random);
        return !task.Marks("A: " + corrupted)[task.ContentErrorCriteria[kind]];
    }

    [Property(MaxTest = 300)]
    public bool TryParse_PromptOfAnyTask_GivesTheSameTask(int seed, byte familyByte)
    {
        var task = Draw((TaskFamily)(familyByte % 3), seed, out _);
        return SandboxTasks.TryParse(task.Prompt, out var parsed, out _) && parsed.Equals(task)
            && SandboxTasks.Parse(task.Prompt + "\n").Equals(task);
    }

    [Theory]
    [InlineData("C 5 c")]
    [InlineData("C 5 c c")]
    [InlineData("C 9 a b")]
    [InlineData("R ab1")]
    [InlineData("X abc")]
    [InlineData("")]
    public void TryParse_NotATaskPrompt_FailsWithTheReason(string prompt)
    {
        Assert.False(SandboxTasks.TryParse(prompt, out var task, out var error));
        Assert.Null(task);
        Assert.Contains("is not a sandbox task prompt", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EnumerateAll_ConstraintLengths3To6_Has224DistinctTasks()
    {
        var all = SandboxTasks.EnumerateAll(TaskFamily.Constraint, 3, 6)!;
        Assert.Equal(4 * 8 * 7, all.Count);
        Assert.Equal(all.Count, all.Select(t => t.Prompt).Distinct().Count());
    }
}
