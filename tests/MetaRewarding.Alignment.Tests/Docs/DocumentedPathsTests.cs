using System.Text.RegularExpressions;
using MetaRewarding.TestSupport;

namespace MetaRewarding.Alignment.Tests.Docs;

/// <summary>
/// Every source path the docs name in a code span exists, so a file moved or renamed cannot leave docs/ or a README
/// pointing at nothing (docs/ALGORITHM.md's step → file map, the libraries' READMEs). A relative path may be
/// relative to the document's folder, to the repository root, or to a project folder (the maps' tables name their
/// base folder in the header).
/// </summary>
public sealed partial class DocumentedPathsTests
{
    private static readonly string[] TopFolders = ["activities/", "workers/", "workflows/", "tests/", "docs/", "deploy/"];

    private static readonly string[] ProjectParents = ["activities", "workers", "workflows", "tests"];

    public static TheoryData<string> Documents()
    {
        var root = RepositoryPaths.Root;
        var files = Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md")
            .Append(RepositoryPaths.Readme)
            .Concat(TopFolders.SelectMany(folder => Directory.Exists(Path.Combine(root, folder))
                ? Directory.EnumerateFiles(Path.Combine(root, folder), "README.md", SearchOption.AllDirectories)
                : []))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains("node_modules", StringComparison.Ordinal));
        var data = new TheoryData<string>();
        foreach (var file in files.Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Distinct().Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_EverySourcePathItNames_Exists(string document)
    {
        var full = RepositoryPaths.Of(document);
        var bases = BaseFolders(Path.GetDirectoryName(full)!);
        var problems = new List<string>();
        var lines = File.ReadAllLines(full);
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (var span in MarkdownTable.CodeSpans(lines[i]).Where(IsSourcePath))
            {
                var relative = span.Replace('/', Path.DirectorySeparatorChar);
                if (!bases.Any(b => File.Exists(Path.Combine(b, relative)) || Directory.Exists(Path.Combine(b, relative))))
                {
                    problems.Add($"{document} line {i + 1}: `{span}` does not exist (relative to the document, the repository root or a project folder); fix the path");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>A repository path: it has a folder, no placeholder, and either a source file's extension or a top-level folder.</summary>
    private static bool IsSourcePath(string span) =>
        span.Contains('/', StringComparison.Ordinal) && SourcePath().IsMatch(span)
        && (SourceExtension().IsMatch(span) || TopFolders.Any(t => span.StartsWith(t, StringComparison.Ordinal)));

    private static List<string> BaseFolders(string documentFolder)
    {
        var root = RepositoryPaths.Root;
        var projects = ProjectParents
            .Select(f => Path.Combine(root, f)).Where(Directory.Exists)
            .SelectMany(Directory.EnumerateDirectories);
        return [documentFolder, root, .. projects];
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-/]+$")]
    private static partial Regex SourcePath();

    [GeneratedRegex(@"\.(cs|csproj|md|sh|py|props|targets)$")]
    private static partial Regex SourceExtension();
}
