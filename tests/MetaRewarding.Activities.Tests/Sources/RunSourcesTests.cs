using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Sources;
using MetaRewarding.Alignment.Templates;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Formats;
using static MetaRewarding.Activities.Tests.Run.RunFixtures;

namespace MetaRewarding.Activities.Tests.Sources;

/// <summary>The run source seam: one choice from the input, and what each source offers.</summary>
public class RunSourcesTests
{
    [Fact]
    public void For_SandboxRun_CompactTemplatesCapsAndAnOracle()
    {
        var source = RunSources.For(SandboxRun());

        Assert.Same(CompactTemplates.Templates, source.Templates);
        Assert.Equal(SandboxLimits.ActorMaxNewTokens, source.GenerationCap(TemplateRole.Actor));
        Assert.Equal(SandboxLimits.MetaJudgeMaxNewTokens, source.GenerationCap(TemplateRole.MetaJudge));
        Assert.NotNull(source.SharedEvaluationKey);
        var oracle = Assert.IsAssignableFrom<IRunOracle>(source.Oracle);
        Assert.Equal("++++- Score: 4", oracle.Judgment("C 5 c e", "A: cabce"));
        Assert.True(oracle.CompareJudgments("C 5 c e", "A: cabce", "++++- Score: 4", "+++++ Score: 5") < 0);
        Assert.Equal(0, oracle.CompareJudgments("C 5 c e", "A: cabce", "++++- Score: 4", "++++- Score: 4"));
    }

    [Fact]
    public void For_RouteSandboxRun_PromptsAreDistinctAcrossTheWholePool()
    {
        var input = SandboxRun() with { Sandbox = new SandboxOptions { TaskFamily = "route" } };
        var prompts = new List<string>();
        RunSources.For(input).WritePromptPool(input, 2000, record => prompts.Add(record.Prompt));

        Assert.Equal(2000, prompts.Count);
        Assert.Equal(2000, prompts.Distinct().Count());
        Assert.All(prompts.Take(50), p => Assert.StartsWith("G ", p, StringComparison.Ordinal));
    }

    [Fact]
    public void For_RealRun_NoOracleNoCapsNoSharedEvaluation()
    {
        using var folder = new Artifacts.TemporaryStore();
        Directory.CreateDirectory(folder.Folder);
        var prompts = Path.Combine(folder.Folder, "prompts.jsonl");
        File.WriteAllText(prompts, FivePrompts());
        var source = RunSources.For(Real(folder.Folder, prompts));

        Assert.Null(source.Oracle);
        Assert.Null(source.GenerationCap(TemplateRole.Judge));
        Assert.Null(source.SharedEvaluationKey);
        Assert.NotSame(CompactTemplates.Templates, source.Templates);
    }
}
