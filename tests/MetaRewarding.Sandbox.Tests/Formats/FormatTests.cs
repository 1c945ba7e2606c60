using FsCheck.Xunit;
using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Alignment.Templates;
using MetaRewarding.Sandbox.Formats;

namespace MetaRewarding.Sandbox.Tests.Formats;

public class FormatTests
{
    [Fact]
    public void Templates_RenderTheCompactForms()
    {
        var templates = CompactTemplates.Templates;
        Assert.Equal("C 5 c e\n", templates.Actor.Render(new TemplateValues("C 5 c e")).Text);
        Assert.Equal("J C 5 c e|A: cabed|", templates.Judge.Render(new TemplateValues("C 5 c e", "A: cabed")).Text);
        Assert.Equal(
            "M C 5 c e|A: cabed|+++++ Score: 5|++-++ Score: 4|",
            templates.MetaJudge.Render(new TemplateValues("C 5 c e", "A: cabed", "+++++ Score: 5", "++-++ Score: 4")).Text);
    }

    [Fact]
    public void Templates_PassAlignmentsTemplateValidation()
    {
        Assert.NotNull(PromptTemplate.TryParse(TemplateRole.Actor, CompactTemplates.Actor, out var actorProblems));
        Assert.NotNull(PromptTemplate.TryParse(TemplateRole.Judge, CompactTemplates.Judge, out var judgeProblems));
        Assert.NotNull(PromptTemplate.TryParse(TemplateRole.MetaJudge, CompactTemplates.MetaJudge, out var metaProblems));
        Assert.Empty(actorProblems.Concat(judgeProblems).Concat(metaProblems));
    }

    [Fact]
    public void JudgmentFormat_Marks_WritesMarksThenScore()
    {
        Assert.Equal("++-+- Score: 3", JudgmentFormat.Format([true, true, false, true, false]));
        Assert.Equal("----- Score: 0", JudgmentFormat.Format([false, false, false, false, false]));
        Assert.Throws<ArgumentException>(() => JudgmentFormat.Format([true]));
    }

    [Property(MaxTest = 64)]
    public bool JudgmentFormat_AnyMarks_ParsesBackWithAlignmentsParser(bool a, bool b, bool c, bool d, bool e)
    {
        bool[] marks = [a, b, c, d, e];
        var text = JudgmentFormat.Format(marks);
        var score = JudgeScoreParser.Parse(new ModelCompletion(text));
        return text.Length <= JudgmentFormat.Length
            && score.IsValid && score.Score == marks.Count(m => m)
            && JudgmentFormat.TryParseMarks(new ModelCompletion(text))!.SequenceEqual(marks);
    }

    [Theory]
    [InlineData("Score: 3")]
    [InlineData("++-+")]
    [InlineData("++x+- Score: 3")]
    [InlineData("")]
    public void TryParseMarks_NoLeadingMarks_ReturnsNull(string text)
    {
        Assert.Null(JudgmentFormat.TryParseMarks(new ModelCompletion(text)));
    }

    [Fact]
    public void MetaJudgmentFormat_Format_WritesTheReasoningForm()
    {
        var text = MetaJudgmentFormat.Format([true, true, false, true, false], 0, 2, VerdictPosition.A);
        Assert.Equal("++-+- 0 2 Winner: Judgment A", text);
        Assert.Equal(VerdictPosition.A, MetaJudgeVerdictParser.Parse(new ModelCompletion(text)).Winner);
        var reasoning = MetaJudgmentFormat.TryParseReasoning(new ModelCompletion(text))!;
        Assert.Equal([true, true, false, true, false], reasoning.OwnMarks);
        Assert.Equal((0, 2), (reasoning.ErrorsA, reasoning.ErrorsB));
        Assert.Equal(MetaJudgmentFormat.Length, MetaJudgmentFormat.Format([true, true, true, true, true], 5, 5, VerdictPosition.B).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => MetaJudgmentFormat.Format([true, true, true, true, true], 0, 1, VerdictPosition.None));
    }

    [Theory]
    [InlineData("Winner: Judgment A")]
    [InlineData("++-+- 0 Winner: Judgment A")]
    [InlineData("++-+- 0 9 Winner: Judgment A")]
    public void TryParseReasoning_VerdictWithoutFullReasoning_ReturnsNull(string text)
    {
        Assert.Null(MetaJudgmentFormat.TryParseReasoning(new ModelCompletion(text)));
    }

    [Fact]
    public void LongestSequence_AllowedTaskLengths_FitsTheContextWindow()
    {
        Assert.Equal(109, SandboxLimits.LongestSequence(SandboxSettings.MaxTaskLength));
        Assert.Equal(141, SandboxLimits.LongestRouteSequence(12));
        Assert.True(SandboxLimits.LongestRouteSequence(12) <= SandboxLimits.ContextWindow);
        Assert.True(WitnessJudgmentFormat.Length <= SandboxLimits.JudgeMaxNewTokens);
        Assert.True(WitnessMetaJudgmentFormat.Length <= SandboxLimits.MetaJudgeMaxNewTokens);
        Assert.True(SandboxLimits.LongestSequence(SandboxSettings.MaxTaskLength) <= SandboxLimits.ContextWindow);
        Assert.True(JudgmentFormat.Length <= SandboxLimits.JudgeMaxNewTokens);
        Assert.True(MetaJudgmentFormat.Length <= SandboxLimits.MetaJudgeMaxNewTokens);
    }
}
