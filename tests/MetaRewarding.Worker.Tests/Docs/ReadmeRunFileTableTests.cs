using System.Text.Json;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.TestSupport;
using MetaRewarding.Worker.Runs;

namespace MetaRewarding.Worker.Tests.Docs;

/// <summary>
/// The README's "Run files" table is checked against <see cref="RunFile"/>: each field a run file adds to a
/// configuration has a row and each row names one, and the <c>sandbox</c> row lists every field of
/// <see cref="SandboxOptions"/>.
/// </summary>
public sealed class ReadmeRunFileTableTests
{
    private const string Heading = "Run files";

    private static readonly IReadOnlyList<MarkdownRow> Rows = MarkdownTable.After(RepositoryPaths.Readme, Heading);

    private static string? FieldName(MarkdownRow row)
    {
        var spans = MarkdownTable.CodeSpans(row.Cells[0]);
        return spans.Count > 0 ? spans[0] : null;
    }

    [Fact]
    public void RunFileTable_NamesExactlyTheFieldsARunFileAdds()
    {
        var documented = Rows.Select(r => (Name: FieldName(r), r.Line)).Where(r => r.Name is not null).ToList();
        var problems = RunFile.RunFields.Where(f => !documented.Any(d => d.Name == f))
            .Select(f => $"README.md, '{Heading}': no row for the run-file field `{f}`; add | `{f}` | <what it holds> |")
            .Concat(documented.Where(d => !RunFile.RunFields.Contains(d.Name)).Select(d =>
                $"README.md line {d.Line}: `{d.Name}` is not a run-file field (RunFile reads {string.Join(", ", RunFile.RunFields)}); fix or remove the row"))
            .ToList();

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void RunFileTable_SandboxRow_ListsEverySandboxOption()
    {
        var row = Rows.Single(r => FieldName(r) == RunFile.SandboxField);
        var listed = MarkdownTable.CodeSpans(row.Cells[1]).ToHashSet(StringComparer.Ordinal);
        var missing = typeof(SandboxOptions).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Where(n => !listed.Contains(n)).ToList();

        Assert.True(missing.Count == 0, $"README.md line {row.Line}: the `sandbox` row does not list {string.Join(", ", missing.Select(m => $"`{m}`"))}; add them to its list of fields");
    }
}
