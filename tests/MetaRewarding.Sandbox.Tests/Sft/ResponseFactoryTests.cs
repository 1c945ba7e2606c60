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

    [Property(MaxTest = 300)]
    public bool NearMiss_AnyRouteTask_IsAWellFormedRouteThatOnlyEdgesCanFail(int seed)
    {
        var settings = SandboxSettings.For(TaskFamily.Route);
        var random = new SandboxRandom((ulong)seed);
        var task = (RouteTask)SandboxTasks.Sample(TaskFamily.Route, settings.MinLength, settings.MaxLength, random, settings.GraphEdges);
        var marks = task.Marks(ResponseFactory.NearMiss(task, random));
        return marks[0] && marks[1] && marks[2] && marks[4];
    }

    [Fact]
    public void NearMiss_ManyTasks_IsCorrectAboutHalfTheTime_AndOtherwiseFailsAStep()
    {
        // 4,000 draws: a fair coin's share lies within ±0.03 of 0.5 with probability > 0.999 (4.4 standard errors).
        var settings = SandboxSettings.For(TaskFamily.Route);
        var random = new SandboxRandom(11);
        var correct = 0;
        const int draws = 4_000;
        for (var i = 0; i < draws; i++)
        {
            var task = (RouteTask)SandboxTasks.Sample(TaskFamily.Route, settings.MinLength, settings.MaxLength, random, settings.GraphEdges);
            var response = ResponseFactory.NearMiss(task, random);
            correct += Rubric.Score(task, response) == Rubric.CriterionCount ? 1 : 0;
        }

        Assert.InRange(correct / (double)draws, 0.47, 0.53);
    }

    [Fact]
    public void JudgedResponse_RouteDefaults_DrawsNearMissesAtTheirShare_AndOtherFamiliesNever()
    {
        var route = SandboxSettings.For(TaskFamily.Route);
        var routeTask = new RouteTask(["ab", "bc", "cd", "de", "ef", "fg", "gh", "ha"], 'a', 'c');
        var constraint = SandboxSettings.For(TaskFamily.Constraint) with { NearMissShare = 1 };
        var constraintTask = new ConstraintTask(5, 'c', 'e');
        var random = new SandboxRandom(5);

        // A pool response is a well-formed a…c route only by chance (target score 5 or an edge-only failure):
        // well under the near-miss share, so the share of well-formed routes bounds the near misses from above.
        var routeShaped = Enumerable.Range(0, 2_000)
            .Select(_ => routeTask.Marks(ResponseFactory.JudgedResponse(routeTask, route, random)))
            .Count(m => m[0] && m[1] && m[2] && m[4]) / 2_000.0;
        Assert.InRange(routeShaped, route.NearMissShare, 0.85);

        // Other families: exactly the stratified pool, draw for draw, even with the share at 1.
        var judged = new SandboxRandom(6);
        var pool = new SandboxRandom(6);
        Assert.All(Enumerable.Range(0, 200), _ =>
            Assert.Equal(ResponseFactory.PoolResponse(constraintTask, pool), ResponseFactory.JudgedResponse(constraintTask, constraint, judged)));
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
