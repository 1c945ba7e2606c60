using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Formats;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Tests.Tasks;

public class RouteTaskTests
{
    // The issue's example graph: a-b-d-e is the only route from a to e of 3 steps; a-g-f-c is a branch.
    private static readonly RouteTask Example = (RouteTask)SandboxTasks.Parse("G ab cf bd de ag fg eh|a e");

    private static string MarksOf(string response) => new([.. Example.Marks(response).Select(m => m ? '+' : '-')]);

    // Criteria: format, start, end, edges, no repeat.
    [Theory]
    [InlineData("A: abde", "+++++")]
    [InlineData("A: ae", "+++-+")] // a jump: a–e is no edge
    [InlineData("A: abe", "+++-+")] // b–e is no edge
    [InlineData("A: abd", "++-++")] // stops early
    [InlineData("A: bde", "+-+++")] // starts elsewhere
    [InlineData("A: abdbde", "++++-")] // a detour repeats b and d
    [InlineData("abde", "-++++")] // no "A: "
    [InlineData("A: abde ok", "-++++")]
    [InlineData("A: a", "++--+")] // one node: no step at all (the edge criterion needs one)
    public void Marks_ExampleGraph_MatchesHandCheckedMarks(string response, string expected)
    {
        Assert.Equal(expected, MarksOf(response));
    }

    [Theory]
    [InlineData("A: abde", null)]
    [InlineData("A: ae", "ae")]
    [InlineData("A: abehe", "be")] // the first non-edge step, in route order
    [InlineData("A: a", null)]
    public void FirstInvalidStep_ExampleGraph_IsTheFirstNonEdgeStep(string response, string? expected)
    {
        Assert.Equal(expected, Example.FirstInvalidStep(response));
    }

    [Theory]
    [InlineData("A: abehe", "be", true)]
    [InlineData("A: abehe", "eh", false)] // an edge
    [InlineData("A: abehe", "ae", false)] // not a step of this route
    [InlineData("A: abehe", "eb", false)] // steps are read in route order
    [InlineData("A: abehe", null, false)] // a failed edge mark without a cited step is unsupported
    [InlineData("A: a", null, true)] // unless there is no step to cite
    public void IsValidWitness_ExampleGraph_ChecksTheCitedStep(string response, string? witness, bool valid)
    {
        Assert.Equal(valid, Example.IsValidWitness(response, witness));
    }

    [Fact]
    public void TrueJudgment_CitesTheWitnessOnlyWhenTheEdgeMarkFails()
    {
        Assert.Equal("+++++ Score: 5", Example.TrueJudgment("A: abde"));
        Assert.Equal("+++-+ ae Score: 4", Example.TrueJudgment("A: ae"));
        Assert.Equal("+++-+ be Score: 4", Example.TrueJudgment("A: abe"));
        Assert.Equal(4, JudgeScoreParser.Parse(new ModelCompletion("+++-+ be Score: 4")).Score);
        Assert.Equal("be", WitnessJudgmentFormat.TryParseWitness(new ModelCompletion("+++-+ be Score: 4")));
        Assert.Null(WitnessJudgmentFormat.TryParseWitness(new ModelCompletion("+++++ Score: 5")));
    }

    [Fact]
    public void ErrorOf_WrongWitness_CountsAsOneMoreError()
    {
        const string response = "A: abe";
        Assert.Equal(0, Example.ErrorOf(response, new ModelCompletion("+++-+ be Score: 4")).WrongMarks);
        Assert.Equal(1, Example.ErrorOf(response, new ModelCompletion("+++-+ ab Score: 4")).WrongMarks); // ab is an edge
        Assert.Equal(1, Example.ErrorOf(response, new ModelCompletion("+++++ Score: 5")).WrongMarks); // missed the jump
        Assert.Equal(2, Example.ErrorOf(response, new ModelCompletion("-++-+ ab Score: 3")).WrongMarks);
        Assert.True(Example.ErrorOf(response, new ModelCompletion("nonsense")) > Example.ErrorOf(response, new ModelCompletion("----- ab Score: 0")));
    }

    [Fact]
    public void Sample_ManyDraws_RoutesHaveTheConfiguredDistanceAndSolutionsAreCorrect()
    {
        var distances = new int[8];
        for (var i = 0; i < 2000; i++)
        {
            var random = SandboxRandom.For(1, "route-test", i);
            var task = RouteTask.Sample(8, 2, 4, random);
            distances[task.ShortestDistance]++;
            Assert.Equal(8, task.Edges.Count);
            var answer = task.SampleCorrectAnswer(random);
            Assert.Equal(task.ShortestDistance + 1, answer.Length);
            Assert.True(Rubric.IsCorrect(task, "A: " + answer), $"{task.Prompt} -> {answer}");
            Assert.Equal(task, SandboxTasks.Parse(task.Prompt + "\n"));
        }

        Assert.Equal(0, distances[0] + distances[1] + distances[5] + distances[6] + distances[7]);
        Assert.All(distances[2..5], count => Assert.True(count > 200, $"distances 2-4 drawn {string.Join(", ", distances)}"));
    }

    [Fact]
    public void Sample_DistinctPrompts_AreThousands()
    {
        var prompts = Enumerable.Range(0, 3000).Select(i => RouteTask.Sample(8, 2, 4, SandboxRandom.For(2, "route-distinct", i)).Prompt).ToHashSet();
        Assert.Equal(3000, prompts.Count);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 4)]
    public void Corrupt_CorrectAnswer_BreaksItsCriterion(int errorKind, int criterion)
    {
        for (var i = 0; i < 500; i++)
        {
            var random = SandboxRandom.For(3, "route-corrupt", i);
            var task = RouteTask.Sample(8, 2, 4, random);
            var corrupted = task.Corrupt(task.SampleCorrectAnswer(random), errorKind, random);
            Assert.False(task.Marks("A: " + corrupted)[criterion], $"{task.Prompt}: kind {errorKind} gave {corrupted}");
        }
    }

    [Theory]
    [InlineData("G ab|a a", "different letters")]
    [InlineData("G ab cd|a d", "No route")]
    [InlineData("G ab ab|a b", "twice")]
    [InlineData("G ab|a", "source and one target")]
    public void TryParse_BadPrompt_NamesTheProblem(string prompt, string problem)
    {
        Assert.False(SandboxTasks.TryParse(prompt, out _, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }
}
