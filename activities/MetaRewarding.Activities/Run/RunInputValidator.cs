using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Activities.Run;

/// <summary>
/// Every problem with a <see cref="RunInput"/> that can be found before any GPU time is spent, one message each,
/// naming the field, what it holds and what would be accepted. The prompt pool's size is checked while it is
/// read (<see cref="PromptPool"/>).
/// </summary>
public static class RunInputValidator
{
    public static IReadOnlyList<string> Validate(RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new List<string>();
        if (ArtifactPaths.RunIdProblem(input.RunId) is { } runIdProblem)
        {
            errors.Add(runIdProblem);
        }

        if (input.Configuration is null)
        {
            errors.Add("configuration must not be null; pass a run configuration (`metarewarding schedule --init FILE` writes the paper's)");
        }
        else
        {
            ValidateConfiguration(input, errors);
        }

        ValidateSource(input, errors);
        if (!Enum.IsDefined(input.JudgeMode))
        {
            errors.Add($"judgeMode must be one of {string.Join(", ", Enum.GetNames<JudgeMode>())}, got {input.JudgeMode}");
        }
        else if (input.JudgeMode == JudgeMode.Oracle && input.Sandbox is null)
        {
            errors.Add("judgeMode 'oracle' needs a sandbox run (only the sandbox knows the true scores); use judgeMode 'model' for a real run");
        }

        if (!Enum.IsDefined(input.MetaJudgeMode))
        {
            errors.Add($"metaJudgeMode must be one of {string.Join(", ", Enum.GetNames<MetaJudgeMode>())}, got {input.MetaJudgeMode}");
        }
        else if (input.MetaJudgeMode == MetaJudgeMode.Oracle && input.Sandbox is null)
        {
            errors.Add("metaJudgeMode 'oracle' needs a sandbox run (only the sandbox knows the true verdicts); use metaJudgeMode 'model' for a real run");
        }

        if (input.SeedModel is { } seedModel)
        {
            if (!Path.IsPathFullyQualified(seedModel))
            {
                errors.Add($"seedModel must be an absolute path as the workers see it, got '{seedModel}'");
            }
            else if (!File.Exists(Path.Combine(seedModel, "config.json")))
            {
                errors.Add($"seedModel folder '{seedModel}' has no config.json; it must be a model folder (e.g. another run's runs/ID/seed/model)");
            }
        }

        if (input.TaskQueues is null || string.IsNullOrWhiteSpace(input.TaskQueues.Cpu) || string.IsNullOrWhiteSpace(input.TaskQueues.Gpu))
        {
            errors.Add("taskQueues.cpu and taskQueues.gpu must be non-empty task queue names; leave taskQueues out for the defaults");
        }

        return errors;
    }

    private static void ValidateConfiguration(RunInput input, List<string> errors)
    {
        var configuration = input.Configuration;
        var relativeTemplates = false;
        foreach (var (field, path) in TemplatePaths(configuration.Templates))
        {
            if (!string.IsNullOrWhiteSpace(path) && !Path.IsPathFullyQualified(path))
            {
                relativeTemplates = true;
                errors.Add($"templates.{field} must be an absolute path as the workers see it (`metarewarding start` resolves paths relative to the configuration file), got '{path}'");
            }
        }

        if (input.Sandbox is not null && configuration.Templates is { } templates && (templates.Actor ?? templates.Judge ?? templates.MetaJudge) is not null)
        {
            errors.Add("templates must be left out for a sandbox run: the sandbox's tiny model is trained on its own compact templates");
        }

        // Templates are read here too (absolute paths ignore the base folder), so a missing or broken file is
        // reported with the rest; with a relative path among them, reading would only add a confusing second
        // message about the same field, so then only the values are checked.
        errors.AddRange(RunConfigurationValidator.Validate(configuration, relativeTemplates ? null : Path.GetPathRoot(Path.GetFullPath(".")) ?? "/"));
    }

    private static IEnumerable<(string Field, string? Path)> TemplatePaths(TemplateFiles? files) =>
        files is null ? [] : [("actor", files.Actor), ("judge", files.Judge), ("metaJudge", files.MetaJudge)];

    private static void ValidateSource(RunInput input, List<string> errors)
    {
        var real = input.BaseModel is not null || input.Prompts is not null;
        if (real && input.Sandbox is not null)
        {
            errors.Add("a run is either real (baseModel + prompts) or a sandbox run (sandbox), not both; remove sandbox, or baseModel and prompts");
            return;
        }

        if (!real && input.Sandbox is null)
        {
            errors.Add("the run names no model: give baseModel (a Hugging Face model folder) and prompts (a JSONL file), or sandbox for the offline demo");
            return;
        }

        if (input.Sandbox is { } sandbox)
        {
            ValidateSandbox(sandbox, errors);
            return;
        }

        if (string.IsNullOrWhiteSpace(input.BaseModel))
        {
            errors.Add("baseModel must be given with prompts: the Hugging Face model folder M_0 (config.json, safetensors, tokenizer)");
        }
        else if (!Path.IsPathFullyQualified(input.BaseModel))
        {
            errors.Add($"baseModel must be an absolute path as the workers see it, got '{input.BaseModel}'");
        }
        else if (!Directory.Exists(input.BaseModel))
        {
            errors.Add($"baseModel folder '{input.BaseModel}' does not exist; check the path (workers must see it at the same path)");
        }
        else if (!File.Exists(Path.Combine(input.BaseModel, "config.json")))
        {
            errors.Add($"baseModel folder '{input.BaseModel}' has no config.json; it must be a Hugging Face model folder");
        }

        if (string.IsNullOrWhiteSpace(input.Prompts))
        {
            errors.Add("prompts must be given with baseModel: a JSONL file with one {\"id\", \"prompt\"} object per line");
        }
        else if (!Path.IsPathFullyQualified(input.Prompts))
        {
            errors.Add($"prompts must be an absolute path as the workers see it, got '{input.Prompts}'");
        }
        else if (!File.Exists(input.Prompts))
        {
            errors.Add($"prompts file '{input.Prompts}' does not exist; check the path (workers must see it at the same path)");
        }
    }

    private static void ValidateSandbox(SandboxOptions sandbox, List<string> errors)
    {
        if (!Enum.TryParse<TaskFamily>(sandbox.TaskFamily, ignoreCase: true, out var family) || !Enum.IsDefined(family) || int.TryParse(sandbox.TaskFamily, out _))
        {
            errors.Add($"sandbox.taskFamily must be one of {string.Join(", ", Enum.GetNames<TaskFamily>().Select(n => n.ToLowerInvariant()))}, got '{sandbox.TaskFamily}'");
        }
        else
        {
            errors.AddRange(SandboxSettings.For(family).Validate());
        }

        Positive(errors, "sandbox.hiddenSize", sandbox.HiddenSize);
        Positive(errors, "sandbox.layers", sandbox.Layers);
        Positive(errors, "sandbox.heads", sandbox.Heads);
        if (sandbox.HiddenSize > 0 && sandbox.Heads > 0 && sandbox.HiddenSize % sandbox.Heads != 0)
        {
            errors.Add($"sandbox.hiddenSize must be a multiple of sandbox.heads, got {sandbox.HiddenSize} and {sandbox.Heads}");
        }

        Positive(errors, "sandbox.intermediateSize", sandbox.IntermediateSize);
        if (sandbox.SftSteps < 0)
        {
            errors.Add($"sandbox.sftSteps must be >= 0, got {sandbox.SftSteps}");
        }

        Positive(errors, "sandbox.sftBatchSize", sandbox.SftBatchSize);
        if (!(sandbox.SftLearningRate > 0) || !double.IsFinite(sandbox.SftLearningRate))
        {
            errors.Add($"sandbox.sftLearningRate must be a finite number > 0, got {sandbox.SftLearningRate}");
        }

        Positive(errors, "sandbox.evaluationPrompts", sandbox.EvaluationPrompts);
        Positive(errors, "sandbox.evaluationSamples", sandbox.EvaluationSamples);
    }

    private static void Positive(List<string> errors, string field, int value)
    {
        if (value < 1)
        {
            errors.Add($"{field} must be >= 1, got {value}");
        }
    }
}
