using System.CommandLine;
using MetaRewarding.TestSupport;
using MetaRewarding.Worker.Cli;

namespace MetaRewarding.Worker.Tests.Docs;

/// <summary>
/// The README's table of the executable's verbs is checked against the verbs <see cref="CliVerbs"/> registers, and
/// every <c>--option</c> a row shows against that verb's options, so the docs cannot drift from the CLI. Each
/// failure names the README line and says what to write.
/// </summary>
public sealed class ReadmeVerbTableTests
{
    private const string Heading = "The `metarewarding` executable";

    private static readonly IReadOnlyList<Command> Verbs = CliVerbs.CreateRoot().Subcommands.ToList();

    /// <summary>Each verb the README names, with the options its row shows and the row.</summary>
    private static IEnumerable<(string Verb, IReadOnlyList<string> Options, MarkdownRow Row)> Documented() =>
        MarkdownTable.After(RepositoryPaths.Readme, Heading).SelectMany(row => MarkdownTable.CodeSpans(row.Cells[0]).Select(span =>
        {
            var words = span.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var options = words.Select(w => w.Trim('[', ']', '|', '\\')).Where(w => w.StartsWith("--", StringComparison.Ordinal)).ToList();
            return (words[0], (IReadOnlyList<string>)options, row);
        }));

    [Fact]
    public void VerbTable_EveryRegisteredVerb_HasARow()
    {
        var documented = Documented().Select(d => d.Verb).ToHashSet(StringComparer.Ordinal);
        var problems = Verbs.Where(v => !documented.Contains(v.Name)).Select(v =>
        {
            var usage = string.Join(" ", v.Options.Where(o => o.Required).Select(o => $"{o.Name} {o.HelpName ?? "VALUE"}").Prepend(v.Name));
            return $"README.md, '{Heading}': no row for the verb `{v.Name}`. Add a row such as | `{usage}` | {v.Description} |";
        });

        AssertNone(problems);
    }

    [Fact]
    public void VerbTable_EveryRow_NamesARegisteredVerbAndItsOptions()
    {
        var problems = new List<string>();
        foreach (var (verb, options, row) in Documented())
        {
            if (Verbs.FirstOrDefault(v => v.Name == verb) is not { } command)
            {
                problems.Add($"README.md line {row.Line}: `{verb}` is not a verb of the executable (CliVerbs registers {string.Join(", ", Verbs.Select(v => v.Name))}); fix or remove the row");
                continue;
            }

            var known = command.Options.SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(options.Where(o => !known.Contains(o)).Select(o =>
                $"README.md line {row.Line}: `{verb}` has no option {o} (it has {string.Join(", ", command.Options.Select(x => x.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal)))}); fix the row"));
        }

        AssertNone(problems);
    }

    private static void AssertNone(IEnumerable<string> problems)
    {
        var list = problems.ToList();
        Assert.True(list.Count == 0, string.Join(Environment.NewLine, list));
    }
}
