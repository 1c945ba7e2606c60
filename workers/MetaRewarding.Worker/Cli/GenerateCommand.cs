using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Generation;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Tokenization;
using static TorchSharp.torch;

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
    public const int ExitOk = 0;
    public const int ExitBadInput = 2;

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
        var dtype = new Option<string>("--dtype") { Description = "Compute dtype: float32, bfloat16 or float16.", DefaultValueFactory = _ => "float32" };
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
            return Execute(settings, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    /// <summary>Runs the verb in-process with the given arguments (those after <c>generate</c>) and writers.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("generate only") { Create() };
        return root.Parse(["generate", .. args]).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static int Execute(GenerateSettings settings, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return Generate(settings, stdout);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                                       or ArgumentException or NotSupportedException or IOException or JsonException)
        {
            stderr.WriteLine($"generate: {e.Message}");
            return ExitBadInput;
        }
    }

    private static int Generate(GenerateSettings settings, TextWriter stdout)
    {
        settings.Options.Validate();
        var computeDtype = ParseDtype(settings.Dtype);
        var lines = ReadLines(settings.InputPath);
        var tokenizer = TryLoadTokenizer(settings.ModelFolder);
        if (tokenizer is null && settings.Options.StopStrings.Count > 0)
        {
            throw new ArgumentException($"--stop needs a tokenizer, and '{settings.ModelFolder}' has none.");
        }
        var requests = lines.Select((line, i) => ToRequest(line, i, tokenizer, settings)).ToList();

        TorchRuntime.Initialize();
        using var model = LlamaForCausalLM.FromPretrained(settings.ModelFolder, computeDtype, CPU);
        var eos = model.Config.EosTokenIds
            .Concat(HfFolder.ReadGenerationEosTokenIds(settings.ModelFolder))
            .Concat(tokenizer?.SpecialTokens.EndOfTurn is { } eot ? [eot] : [])
            .Distinct().ToArray();
        // Embedding matrices are often padded past the tokenizer's last id; such ids have no text.
        Func<IReadOnlyList<int>, string>? decode = tokenizer is null
            ? null
            : ids => tokenizer.Decode(ids.Where(id => id < tokenizer.VocabularySize).ToArray(), skipSpecialTokens: true);
        var results = new TokenGenerator(model, decode).Generate(requests, settings.Options with { EosTokenIds = eos });

        var outputText = new System.Text.StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = (JsonObject)lines[i].Line.DeepClone();
            line["completion"] = results[i].Text;
            line["completion_ids"] = new JsonArray(results[i].CompletionIds.Select(id => (JsonNode?)JsonValue.Create(id)).ToArray());
            line["finish_reason"] = results[i].FinishReason.ToString().ToLowerInvariant();
            outputText.Append(line.ToJsonString()).Append('\n');
        }
        var outputDirectory = Path.GetDirectoryName(Path.GetFullPath(settings.OutputPath))!;
        Directory.CreateDirectory(outputDirectory);
        var temporary = settings.OutputPath + ".tmp";
        File.WriteAllText(temporary, outputText.ToString());
        File.Move(temporary, settings.OutputPath, overwrite: true);
        stdout.WriteLine($"generate: {lines.Count} completions written to {settings.OutputPath} " +
                         $"({results.Sum(r => r.CompletionIds.Count)} tokens; finish: {string.Join(", ", results.GroupBy(r => r.FinishReason).Select(g => $"{g.Key.ToString().ToLowerInvariant()} {g.Count()}"))}).");
        return ExitOk;
    }

    private static List<(int LineNumber, JsonObject Line)> ReadLines(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"input file '{path}' does not exist.", path);
        }
        var lines = new List<(int, JsonObject)>();
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{number}: not valid JSON ({e.Message}).", e);
            }
            lines.Add((number, node as JsonObject ?? throw new InvalidDataException($"{path}:{number}: expected a JSON object with \"prompt\" or \"prompt_ids\".")));
        }
        if (lines.Count == 0)
        {
            throw new InvalidDataException($"{path}: no prompts (the file is empty).");
        }
        return lines;
    }

    private static GenerationRequest ToRequest((int LineNumber, JsonObject Line) entry, int index, ITextTokenizer? tokenizer, GenerateSettings settings)
    {
        var (number, line) = entry;
        var where = $"{settings.InputPath}:{number}";
        int[] ids;
        if (line["prompt_ids"] is JsonArray array)
        {
            try
            {
                ids = array.Select(v => v!.GetValue<int>()).ToArray();
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
            {
                throw new InvalidDataException($"{where}: \"prompt_ids\" must be a list of integer token ids.", e);
            }
        }
        else if (line["prompt"] is JsonValue prompt && prompt.TryGetValue<string>(out var text))
        {
            if (tokenizer is null)
            {
                throw new InvalidDataException(
                    $"{where}: text \"prompt\" needs a tokenizer, but the model folder '{settings.ModelFolder}' has none; give \"prompt_ids\" instead or add the tokenizer files.");
            }
            ids = tokenizer.Encode(text, SpecialTokenHandling.Recognize);
        }
        else
        {
            throw new InvalidDataException($"{where}: needs \"prompt\" (text) or \"prompt_ids\" (list of token ids).");
        }
        long seed;
        if (line["seed"] is JsonValue ownSeed)
        {
            seed = ownSeed.TryGetValue<long>(out var s) ? s : throw new InvalidDataException($"{where}: \"seed\" must be an integer.");
        }
        else
        {
            seed = unchecked(settings.Seed * 1_000_003 + index);
        }
        return new GenerationRequest { PromptIds = ids, Seed = seed };
    }

    private static ITextTokenizer? TryLoadTokenizer(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"model folder '{folder}' does not exist.");
        }
        try
        {
            return TokenizerLoader.FromModelFolder(folder);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static ScalarType ParseDtype(string name) => name switch
    {
        "float32" or "fp32" => ScalarType.Float32,
        "bfloat16" or "bf16" => ScalarType.BFloat16,
        "float16" or "fp16" => ScalarType.Float16,
        _ => throw new ArgumentException($"--dtype '{name}' is not supported; use float32, bfloat16 or float16."),
    };

    private sealed record GenerateSettings(string ModelFolder, string InputPath, string OutputPath, string Dtype, long Seed, GenerationOptions Options);
}
