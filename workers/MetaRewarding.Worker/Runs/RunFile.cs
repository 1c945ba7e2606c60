using System.Text.Json;
using System.Text.Json.Nodes;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Worker.Runs;

/// <summary>
/// A run file: the run configuration's fields (<c>seed</c>, <c>iterations</c>, ... as in a configuration file)
/// plus what the run works on: <c>baseModel</c> + <c>prompts</c> for a real run, or <c>sandbox</c> for the
/// offline sandbox; optional <c>judgeMode</c> (<c>model</c> | <c>oracle</c> | <c>random</c>), <c>metaJudgeMode</c> (<c>model</c> | <c>oracle</c>) and <c>taskQueues</c>. Relative
/// paths (<c>baseModel</c>, <c>prompts</c>, <c>templates.*</c>, <c>seedSft.dataset</c>) are resolved against the
/// run file's folder, because workflows need absolute paths as the workers see them.
/// </summary>
public sealed record RunFile
{
    public const string BaseModelField = "baseModel";
    public const string PromptsField = "prompts";
    public const string SandboxField = "sandbox";
    public const string JudgeModeField = "judgeMode";
    public const string MetaJudgeModeField = "metaJudgeMode";
    public const string TaskQueuesField = "taskQueues";

    /// <summary>The fields a run file adds to a run configuration (README, "Run files", lists them; a test checks it).</summary>
    internal static readonly string[] RunFields = [BaseModelField, PromptsField, SandboxField, JudgeModeField, MetaJudgeModeField, TaskQueuesField];

    public required RunConfiguration Configuration { get; init; }

    public string? BaseModel { get; init; }

    public string? Prompts { get; init; }

    public SandboxOptions? Sandbox { get; init; }

    public JudgeMode JudgeMode { get; init; } = JudgeMode.Model;

    public MetaJudgeMode MetaJudgeMode { get; init; } = MetaJudgeMode.Model;

    public TaskQueues? TaskQueues { get; init; }

    /// <summary>Reads a run file; every problem is a <see cref="ConfigurationException"/> naming the file.</summary>
    public static RunFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ConfigurationException($"run file '{full}' does not exist; check the path (README, \"Run files\", shows one)");
        }

        return Parse(File.ReadAllText(full), full, Path.GetDirectoryName(full)!);
    }

    /// <summary>Parses a run file's text; relative paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static RunFile Parse(string json, string source, string baseDirectory)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new ConfigurationException($"{source}: a run file is a JSON object, e.g. {{\"sandbox\": {{}}, \"iterations\": [...]}}");
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{source}: not valid JSON ({e.Message})", e);
        }

        var run = RunFields.ToDictionary(f => f, f => root[f]);
        foreach (var field in RunFields)
        {
            root.Remove(field);
        }

        var configuration = RunConfigurationJson.Parse(root.ToJsonString(), source);
        return new RunFile
        {
            Configuration = ResolvePaths(configuration, baseDirectory),
            BaseModel = Resolve(Field<string>(run[BaseModelField], BaseModelField, source), baseDirectory),
            Prompts = Resolve(Field<string>(run[PromptsField], PromptsField, source), baseDirectory),
            Sandbox = Field<SandboxOptions>(run[SandboxField], SandboxField, source),
            JudgeMode = run[JudgeModeField] is null ? JudgeMode.Model : Field<JudgeMode>(run[JudgeModeField], JudgeModeField, source),
            MetaJudgeMode = run[MetaJudgeModeField] is null ? MetaJudgeMode.Model : Field<MetaJudgeMode>(run[MetaJudgeModeField], MetaJudgeModeField, source),
            TaskQueues = Field<TaskQueues>(run[TaskQueuesField], TaskQueuesField, source),
        };
    }

    /// <summary>The workflow input for run <paramref name="runId"/>.</summary>
    public RunInput ToRunInput(string runId) => new()
    {
        RunId = runId,
        Configuration = Configuration,
        BaseModel = BaseModel,
        Prompts = Prompts,
        Sandbox = Sandbox,
        JudgeMode = JudgeMode,
        MetaJudgeMode = MetaJudgeMode,
        TaskQueues = TaskQueues ?? new TaskQueues(),
    };

    private static T? Field<T>(JsonNode? node, string field, string source)
    {
        if (node is null)
        {
            return default;
        }

        try
        {
            return node.Deserialize<T>(RunConfigurationJson.Options);
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{source}: field '{field}' is not valid ({e.Message})", e);
        }
    }

    private static RunConfiguration ResolvePaths(RunConfiguration configuration, string baseDirectory)
    {
        var t = configuration.Templates;
        var templates = t with { Actor = Resolve(t.Actor, baseDirectory), Judge = Resolve(t.Judge, baseDirectory), MetaJudge = Resolve(t.MetaJudge, baseDirectory) };
        var seedSft = configuration.SeedSft is { } s && s.Dataset.Length > 0 ? s with { Dataset = Resolve(s.Dataset, baseDirectory)! } : configuration.SeedSft;
        return configuration with { Templates = templates, SeedSft = seedSft };
    }

    private static string? Resolve(string? path, string baseDirectory) =>
        string.IsNullOrWhiteSpace(path) ? path : Path.GetFullPath(path, baseDirectory);
}
