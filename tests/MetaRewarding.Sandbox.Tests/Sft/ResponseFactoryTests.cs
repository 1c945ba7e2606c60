using FsCheck.Xunit;
using MetaRewarding.Sandbox.Sft;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Tests.Sft;

public class ResponseFactoryTests
{
    [Property(MaxTest = 300)]
    public bool PoolResponse_AnyTaskAndTarget_HasExactlyTheTargetScore(int seed, byte familyByte, byte targetByte)
    {
        var family = (TaskFamily)(familyByte % 3);
        var settings = SandboxSettings.For(family);
        var random = new SandboxRandom((ulong)seed);
        var task = SandboxTasks.Sample(family, settings.MinLength, settings.MaxLength, random);
        var target = targetByte % 6;
        var response = ResponseFactory.PoolResponse(task, random, target);
        return Rubric.Score(task, response) == target && response.Length <= SandboxLimits.ActorMaxNewTokens;
    }

    [Fact]
    public void WithFormatError_AnyAnswer_LosesOnlyTheFormatMark()
    {
        var task = new ConstraintTask(5, 'c', 'e');
        var random = new SandboxRandom(3);
        for (var i = 0; i < 200; i++)
        {
            var marks = task.Marks(ResponseFactory.WithFormatError("cabed", random));
            Assert.Equal([false, true, true, true, true], marks);
        }
    }
}
