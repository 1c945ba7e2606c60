using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Alignment.Templates;

/// <summary>The actor, judge and meta-judge templates of a run: the built-in ones unless the configuration names files.</summary>
public sealed record PromptTemplates(PromptTemplate Actor, PromptTemplate Judge, PromptTemplate MetaJudge)
{
    /// <summary>The built-in templates (<see cref="DefaultTemplates"/>).</summary>
    public static PromptTemplates Default { get; } = new(
        PromptTemplate.Parse(TemplateRole.Actor, DefaultTemplates.Actor),
        PromptTemplate.Parse(TemplateRole.Judge, DefaultTemplates.Judge),
        PromptTemplate.Parse(TemplateRole.MetaJudge, DefaultTemplates.MetaJudge));

    /// <summary>
    /// Loads the templates <paramref name="files"/> names (paths relative to <paramref name="baseDirectory"/>),
    /// keeping the built-in ones for the others. Each problem is added to <paramref name="errors"/> with the
    /// field path (<c>templates.judge</c>) and the file; the result is null when there was any.
    /// </summary>
    public static PromptTemplates? TryLoad(TemplateFiles files, string baseDirectory, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        var actor = LoadOne(TemplateRole.Actor, files.Actor, baseDirectory, errors) ?? Default.Actor;
        var judge = LoadOne(TemplateRole.Judge, files.Judge, baseDirectory, errors) ?? Default.Judge;
        var metaJudge = LoadOne(TemplateRole.MetaJudge, files.MetaJudge, baseDirectory, errors) ?? Default.MetaJudge;
        return errors.Count == before ? new PromptTemplates(actor, judge, metaJudge) : null;
    }

    /// <summary>Like <see cref="TryLoad"/>, throwing a <see cref="ConfigurationException"/> listing every problem.</summary>
    public static PromptTemplates Load(TemplateFiles files, string baseDirectory)
    {
        var errors = new List<string>();
        return TryLoad(files, baseDirectory, errors) ?? throw new ConfigurationException(errors);
    }

    private static PromptTemplate? LoadOne(TemplateRole role, string? file, string baseDirectory, ICollection<string> errors)
    {
        if (file is null)
        {
            return null;
        }

        var field = $"templates.{TemplateRoles.Name(role)}";
        if (string.IsNullOrWhiteSpace(file))
        {
            errors.Add($"{field} must be a file path or null (to use the built-in template), got an empty string");
            return null;
        }

        var path = Path.GetFullPath(file, baseDirectory);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{field}: cannot read template file '{path}': {e.Message}");
            return null;
        }

        var template = PromptTemplate.TryParse(role, text, out var problems);
        foreach (var problem in problems)
        {
            errors.Add($"{field}: {problem} (file '{path}')");
        }

        return template;
    }
}
