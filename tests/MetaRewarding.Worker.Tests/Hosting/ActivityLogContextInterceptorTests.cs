using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Worker.Hosting;

namespace MetaRewarding.Worker.Tests.Hosting;

/// <summary>Which run and iteration an activity's input names, for the log context.</summary>
public sealed class ActivityLogContextInterceptorTests
{
    private static readonly ArtifactRef Any = new("x", new string('0', 64), 1);
    private static readonly IterationContext Context = new("run-7", Any, 3, Any);

    public static TheoryData<object, string?, int?> Inputs() => new()
    {
        { new RunInput { RunId = "run-7", Configuration = RunConfiguration.Paper }, "run-7", null },
        { new SeedInput("run-7", Any), "run-7", 0 },
        { new ShardInput(Context, [], 0, 1), "run-7", 3 },
        { new TrainingInput(Context, Any), "run-7", 3 },
        { new PairsInput(Context, [], [], []), "run-7", 3 },
        { new EvaluationInput("run-7", Any, Any, "iteration-2"), "run-7", 2 },
        { new EvaluationInput("run-7", Any, Any, "seed"), "run-7", 0 },
        { "something else", null, null },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Describe_ActivityInput_NamesItsRunAndIteration(object input, string? runId, int? iteration)
    {
        Assert.Equal((runId, iteration), ActivityLogContextInterceptor.Describe([input]));
    }
}
