using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Templates;
using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Generation;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Tokenization;

namespace MetaRewarding.Activities.Run;

/// <summary>
/// Refuses, before any GPU time is spent, a real run whose prompts cannot fit the base model's context
/// (docs/GENERATION.md, "Truncation and context"): for every prompt the schedule takes, the actor prompt as the model
/// sees it (actor template, then chat template) plus its iteration's actor max new tokens, and the judge prompt with an
/// empty response plus the judge's max new tokens (a lower bound: the response only adds to it), must fit
/// <c>max_position_embeddings</c>. What depends on generated text is checked when it is generated: such a request is
/// skipped and counted (Model/CompletionSampler.cs). A base folder without a tokenizer cannot be checked here; loading
/// it for generation reports that.
/// </summary>
internal static class PromptContextCheck
{
    private const int ShownProblems = 5;

    /// <summary>One message per prompt that cannot fit (the first few, then a count); empty when all fit or it cannot be known.</summary>
    public static IReadOnlyList<string> Problems(RunInput input, IEnumerable<PromptRecord> pool)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(pool);
        if (input.BaseModel is not { } folder || Load(folder) is not { } model)
        {
            return [];
        }

        var (config, chat) = model;
        var templates = RunSnapshotFile.Templates(input);
        var problems = new List<string>();
        var count = 0;
        using var prompts = pool.GetEnumerator();
        foreach (var (settings, index) in input.Configuration.Iterations.Select((s, i) => (s, i + 1)))
        {
            for (var p = 0; p < settings.Prompts && prompts.MoveNext(); p++)
            {
                var prompt = prompts.Current;
                var actor = Length(chat, templates.Actor.Render(new TemplateValues(prompt.Prompt)));
                var judge = Length(chat, templates.Judge.Render(new TemplateValues(prompt.Prompt, "")));
                var field = $"iterations[{index - 1}]";
                var problem = ContextWindow.Problem(config, actor, settings.ActorSampling.MaxNewTokens) is { } tooLong
                    ? $"prompt '{prompt.Id}' (iteration {index}) as the actor sees it: {tooLong} (in '{input.Prompts}', or {field}.actorSampling.maxNewTokens)"
                    : ContextWindow.Problem(config, judge, settings.JudgeSampling.MaxNewTokens) is { } judgeTooLong
                        ? $"prompt '{prompt.Id}' (iteration {index}) in the judge template, even with an empty response: {judgeTooLong} (in '{input.Prompts}', or {field}.judgeSampling.maxNewTokens)"
                        : null;
                if (problem is not null && count++ < ShownProblems)
                {
                    problems.Add(problem);
                }
            }
        }

        if (count > ShownProblems)
        {
            problems.Add($"{count - ShownProblems} more prompt(s) do not fit the model's context of {config.MaxPositionEmbeddings} positions");
        }

        return problems;
    }

    private static int Length(IChatTemplate chat, RenderedPrompt prompt) => chat.Render([ChatMessage.User(prompt.Text)], addGenerationPrompt: true).Length;

    /// <summary>The model's config and chat template, or null when the folder has no tokenizer (the check cannot be made).</summary>
    private static (LlamaConfig, IChatTemplate)? Load(string folder)
    {
        ITextTokenizer tokenizer;
        try
        {
            tokenizer = TokenizerLoader.FromModelFolder(folder);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        // A config.json or chat template this project cannot read is an error of the run's input: reported here, named.
        try
        {
            return (LlamaConfig.FromJsonFile(Path.Combine(folder, HfFolder.ConfigFileName)), ChatTemplates.FromModelFolder(folder, tokenizer));
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw new ConfigurationException($"baseModel '{folder}': {e.Message}", e);
        }
    }
}
