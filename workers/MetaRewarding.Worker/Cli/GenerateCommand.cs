using System.CommandLine;
using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Engine;
using MetaRewarding.Modeling.Generation;
using MetaRewarding.Worker.Cli.Engine;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding generate --model DIR --input IN.jsonl --output OUT.jsonl [--greedy] [--max-new-tokens N]
/// [--temperature T] [--top-p P] [--top-k K] [--seed S] [--batch-size B] [--stop TEXT]... [--dtype D]</c>:
/// completes every JSONL line's <c>prompt</c> (text; needs a tokenizer in the model folder) or <c>prompt_ids</c>
/// and writes the line back with <c>completion</c>, <c>completion_ids</c> and <c>finish_reason</c> added.
/// Line i samples with seed (S, i) unless it carries its own integer <c>seed</c>, so a line's output does not
/// depend on the other lines or the batch size.
/// Exit codes: 0 written; 2 bad input (model folder, JSONL line, options), with the reason on stderr.
/// </summary>
internal static class GenerateCommand
{
    public const int ExitOk = EngineVerbs.ExitOk;
    public const int ExitBadInput = EngineVerbs.ExitBadInput;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model folder (config.json + safetensors; tokenizer files for text prompts).", HelpName = "DIR", Required = true };
        var input = new Option<string>("--input") { Description = "JSONL: one object per line with \"prompt\" (text) or \"prompt_ids\" (token ids).", HelpName = "IN.jsonl", Required = true };
        var output = new Option<string>("--output") { Description = "JSONL written with completion, completion_ids and finish_reason added to each input line.", HelpName = "OUT.jsonl", Required = true };
        var greedy = new Option<bool>("--greedy") { Description = "Greedy decoding (ignores temperature, top-p, top-k)." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens generated per line.", DefaultValueFactory = _ => 256 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature.", DefaultValueFactory = _ => 1.0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling probability mass (1 = off).", DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int>("--top-k") { Description = "Sample among the k most likely tokens (0 = off).", DefaultValueFactory = _ => 0 };
        var seed = new Option<long>("--seed") { Description = "Base seed; line i uses (seed, i) unless it has its own \"seed\".", DefaultValueFactory = _ => 0 };
        var batchSize = new Option<int>("--batch-size") { Description = "Lines decoded together.", DefaultValueFactory = _ => 8 };
        var stop = new Option<string[]>("--stop") { Description = "Stop string (repeatable); needs a tokenizer.", AllowMultipleArgumentsPerToken = false, DefaultValueFactory = _ => [] };
        var dtype = new Option<string>("--dtype") { Description = $"Compute dtype: {ComputeDtypes.Choices}.", DefaultValueFactory = _ => "float32" };
        var command = new Command("generate", "Complete JSONL prompts with a Llama model (batched, KV cache). Exit codes: 0 written, 2 bad input.");
        foreach (var option in new Option[] { model, input, output, greedy, maxNewTokens, temperature, topP, topK, seed, batchSize, stop, dtype })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var settings = new GenerateSettings(
                parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(dtype)!, parse.GetValue(seed),
                new GenerationOptions
                {
                    Greedy = parse.GetValue(greedy),
                    MaxNewTokens = parse.GetValue(maxNewTokens),
                    Temperature = parse.GetValue(temperature),
                    TopP = parse.GetValue(topP),
                    TopK = parse.GetValue(topK),
                    BatchSize = parse.GetValue(batchSize),
                    StopStrings = parse.GetValue(stop) ?? [],
                });
            var stdout = parse.InvocationConfiguration.Output;
            return EngineVerbs.Run("generate", parse.InvocationConfiguration.Error, () => Generate(settings, stdout));
        });
        return command;
    }

    /// <summary>Runs the verb in-process with the given arguments (those after <c>generate</c>) and writers.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("generate only") { Create() };
        return root.Parse(["generate", .. args]).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static int Generate(GenerateSettings settings, TextWriter stdout)
    {
        settings.Options.Validate();
        ComputeDtypes.Parse(settings.Dtype);
        var lines = JsonlObjects.Read(settings.InputPath);
        using var engine = EngineVerbs.Load(settings.ModelFolder, settings.Dtype);
        if (engine.Tokenizer is null && settings.Options.StopStrings.Count > 0)
        {
            throw new CliInputException($"--stop needs a tokenizer, and '{settings.ModelFolder}' has none.");
        }

        var requests = lines.Select((line, i) => ToRequest(line, i, engine, settings)).ToList();
        var results = engine.Generate(requests, settings.Options);

        JsonlObjects.WriteAtomically(settings.OutputPath, lines.Select((line, i) =>
        {
            var json = (JsonObject)line.Json.DeepClone();
            json["completion"] = results[i].Text;
            json["completion_ids"] = new JsonArray([.. results[i].CompletionIds.Select(id => (JsonNode?)JsonValue.Create(id))]);
            json["finish_reason"] = FinishReasons.Name(results[i].FinishReason);
            return json;
        }));
        var finishes = string.Join(", ", results.GroupBy(r => r.FinishReason).Select(g => $"{FinishReasons.Name(g.Key)} {g.Count()}"));
        stdout.WriteLine($"generate: {lines.Count} completions written to {settings.OutputPath} ({results.Sum(r => r.CompletionIds.Count)} tokens; finish: {finishes}).");
        return ExitOk;
    }

    private static GenerationRequest ToRequest(JsonlObject line, int index, CheckpointEngine engine, GenerateSettings settings)
    {
        int[] ids;
        if (line.Json.ContainsKey("prompt_ids"))
        {
            ids = JsonlObjects.Ids(line, "prompt_ids");
        }
        else if (JsonlObjects.Text(line, "prompt") is { } text)
        {
            if (engine.Tokenizer is null)
            {
                throw new CliInputException(
                    $"{line.Where}: text \"prompt\" needs a tokenizer, but the model folder '{settings.ModelFolder}' has none; give \"prompt_ids\" instead or add the tokenizer files.");
            }

            ids = engine.EncodeText(text);
        }
        else
        {
            throw new CliInputException($"{line.Where}: needs \"prompt\" (text) or \"prompt_ids\" (list of token ids).");
        }

        long seed;
        if (line.Json["seed"] is JsonValue ownSeed)
        {
            seed = ownSeed.TryGetValue<long>(out var s) ? s : throw new CliInputException($"{line.Where}: \"seed\" must be an integer.");
        }
        else
        {
            seed = unchecked((settings.Seed * 1_000_003) + index);
        }

        return new GenerationRequest { PromptIds = ids, Seed = seed };
    }

    private sealed record GenerateSettings(string ModelFolder, string InputPath, string OutputPath, string Dtype, long Seed, GenerationOptions Options);
}
