using MetaRewarding.Alignment.Templates;

namespace MetaRewarding.Sandbox.Formats;

/// <summary>
/// The sandbox's templates: short enough for a character model with a 128-symbol context, yet in the same
/// contracts as <see cref="DefaultTemplates"/> (same placeholders; the judge's completion ends in
/// <c>Score: k</c>, the meta-judge's in <c>Winner: Judgment A|B</c>), so one pipeline runs the demo and a real run.
/// <code>
/// actor       C 5 c e\n                                       → A: cabed
/// judge       J C 5 c e|A: cabed|                             → +++++ Score: 5
/// meta-judge  M C 5 c e|A: cabed|+++++ Score: 5|++-++ Score: 4| → +++++ 0 1 Winner: Judgment A
/// </code>
/// </summary>
public static class CompactTemplates
{
    /// <summary>Actor: the task prompt and a newline.</summary>
    public const string Actor = "{prompt}\n";

    /// <summary>Judge: <c>J</c>, the task prompt, the response, each closed by <c>|</c>.</summary>
    public const string Judge = "J {prompt}|{response}|";

    /// <summary>Meta-judge: <c>M</c>, the task prompt, the response, judgment A, judgment B, each closed by <c>|</c>.</summary>
    public const string MetaJudge = "M {prompt}|{response}|{judgmentA}|{judgmentB}|";

    /// <summary>The three templates, parsed (they are valid by construction; a test checks it).</summary>
    public static PromptTemplates Templates { get; } = new(
        PromptTemplate.Parse(TemplateRole.Actor, Actor),
        PromptTemplate.Parse(TemplateRole.Judge, Judge),
        PromptTemplate.Parse(TemplateRole.MetaJudge, MetaJudge));
}
