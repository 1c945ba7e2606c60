using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Modeling.Scoring;
using MetaRewarding.Tokenization;
using static TorchSharp.torch;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding logprobs --model DIR --input IN.jsonl --output OUT.jsonl [--batch-size B] [--dtype D]</c>:
/// for every JSONL line with <c>prompt_ids</c> + <c>completion_ids</c> (token ids) or <c>prompt</c> + <c>completion</c>
/// (text; needs a tokenizer in the model folder), writes the line back with <c>logprob</c> (the summed log-probability
/// of the completion tokens given the prompt, fp32 log-softmax) and <c>tokens</c> (how many completion tokens).
/// Text is encoded as prompt and completion separately (special-token text recognised, BOS prepended to the prompt
/// when the tokenizer has one and the prompt lacks it), as TRL does for DPO.
/// The whole input is validated before the model runs; the output file is written atomically.
/// Exit codes: 0 written; 2 bad input (model folder, JSONL line, options), with the reason on stderr.
/// </summary>
internal static class LogprobsCommand
{
    public const int ExitOk = 0;
    public const int ExitBadInput = 2;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model folder (config.json + safetensors; tokenizer files for text input).", HelpName = "DIR", Required = true };
        var input = new Option<string>("--input") { Description = "JSONL: one object per line with prompt_ids + completion_ids, or prompt + completion (text).", HelpName = "IN.jsonl", Required = true };
        var output = new Option<string>("--output") { Description = "JSONL written with logprob and tokens added to each input line.", HelpName = "OUT.jsonl", Required = true };
        var batchSize = new Option<int>("--batch-size") { Description = "Sequences per forward pass.", DefaultValueFactory = _ => 8 };
        var dtype = new Option<string>("--dtype") { Description = "Compute dtype: float32, bfloat16 or float16 (log-softmax is always fp32).", DefaultValueFactory = _ => "float32" };
        var command = new Command("logprobs", "Score completions: summed log-probability of each completion given its prompt. Exit codes: 0 written, 2 bad input.");
        foreach (var option in new Option[] { model, input, output, batchSize, dtype })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => Execute(
            parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(batchSize), parse.GetValue(dtype)!,
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Runs the verb in-process with the given arguments (those after <c>logprobs</c>) and writers.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("logprobs only") { Create() };
        return root.Parse(["logprobs", .. args]).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static int Execute(string modelFolder, string inputPath, string outputPath, int batchSize, string dtypeName, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (batchSize < 1)
            {
                throw new BadInputException($"--batch-size must be >= 1 (got {batchSize}).");
            }

            var dtype = ParseDtype(dtypeName);
            if (!File.Exists(Path.Combine(modelFolder, "config.json")))
            {
                throw new BadInputException($"--model '{modelFolder}' has no config.json; point it at a Hugging Face model folder.");
            }

            var lines = ReadLines(inputPath, modelFolder);
            TorchRuntime.Initialize();
            using var llama = LlamaForCausalLM.FromPretrained(modelFolder, dtype, CPU);
            var scores = ScoreByLength(llama, [.. lines.Select(l => l.Sequence)], batchSize);
            WriteAtomically(outputPath, lines, scores);
            stdout.WriteLine($"scored {lines.Count} completions ({scores.Sum(s => s.Tokens)} tokens) -> {outputPath}");
            return ExitOk;
        }
        catch (Exception e) when (e is BadInputException or IOException or UnauthorizedAccessException or InvalidDataException or JsonException or NotSupportedException or ArgumentException)
        {
            stderr.WriteLine($"logprobs: {e.Message}");
            return ExitBadInput;
        }
    }

    private static ScalarType ParseDtype(string name) => name switch
    {
        "float32" => ScalarType.Float32,
        "bfloat16" => ScalarType.BFloat16,
        "float16" => ScalarType.Float16,
        _ => throw new BadInputException($"--dtype must be float32, bfloat16 or float16 (got '{name}')."),
    };

    private static List<InputLine> ReadLines(string inputPath, string modelFolder)
    {
        if (!File.Exists(inputPath))
        {
            throw new BadInputException($"--input '{inputPath}' does not exist.");
        }

        Lazy<ITextTokenizer> tokenizer = new(() => TokenizerLoader.FromModelFolder(modelFolder));
        var lines = new List<InputLine>();
        var number = 0;
        foreach (var text in File.ReadLines(inputPath))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonObject json;
            try
            {
                json = JsonNode.Parse(text) as JsonObject ?? throw new BadInputException($"{inputPath}:{number}: each line must be a JSON object.");
            }
            catch (JsonException e)
            {
                throw new BadInputException($"{inputPath}:{number}: not valid JSON ({e.Message}).");
            }

            lines.Add(new InputLine(json, ToSequence(json, $"{inputPath}:{number}", tokenizer, modelFolder)));
        }

        if (lines.Count == 0)
        {
            throw new BadInputException($"{inputPath} has no lines to score.");
        }

        return lines;
    }

    private static CompletionSequence ToSequence(JsonObject json, string where, Lazy<ITextTokenizer> tokenizer, string modelFolder)
    {
        if (json["prompt_ids"] is not null || json["completion_ids"] is not null)
        {
            var prompt = Ids(json, "prompt_ids", where);
            if (prompt.Length == 0)
            {
                throw new BadInputException($"{where}: prompt_ids is empty; the first completion token needs a prompt (at least a BOS token).");
            }

            return new CompletionSequence(prompt, Ids(json, "completion_ids", where));
        }

        if (json["prompt"] is not JsonValue promptValue || !promptValue.TryGetValue<string>(out var promptText)
            || json["completion"] is not JsonValue completionValue || !completionValue.TryGetValue<string>(out var completionText))
        {
            throw new BadInputException($"{where}: needs \"prompt_ids\" and \"completion_ids\" (token ids) or \"prompt\" and \"completion\" (strings).");
        }

        ITextTokenizer textTokenizer;
        try
        {
            textTokenizer = tokenizer.Value;
        }
        catch (Exception e) when (e is FileNotFoundException or NotSupportedException or InvalidDataException)
        {
            throw new BadInputException(
                $"{where}: text input needs a tokenizer in the model folder '{modelFolder}', which has none usable ({e.Message}). " +
                "Give prompt_ids and completion_ids instead.");
        }

        var promptIds = textTokenizer.Encode(promptText, SpecialTokenHandling.Recognize);
        if (textTokenizer.SpecialTokens.BeginOfText is { } bos && (promptIds.Length == 0 || promptIds[0] != bos))
        {
            promptIds = [bos, .. promptIds];
        }

        if (promptIds.Length == 0)
        {
            throw new BadInputException($"{where}: the prompt encodes to no tokens and the tokenizer has no BOS token; give a non-empty prompt.");
        }

        return new CompletionSequence(promptIds, textTokenizer.Encode(completionText, SpecialTokenHandling.Recognize));
    }

    private static int[] Ids(JsonObject json, string key, string where)
    {
        if (json[key] is not JsonArray array)
        {
            throw new BadInputException($"{where}: \"{key}\" must be an array of token ids.");
        }

        var ids = new int[array.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            if (array[i] is not JsonValue value || !value.TryGetValue<int>(out ids[i]) || ids[i] < 0)
            {
                throw new BadInputException($"{where}: \"{key}\"[{i}] is not a non-negative integer token id.");
            }
        }

        return ids;
    }

    // Sorting by length keeps each batch's padding small; the scores are put back in input order.
    private static CompletionScore[] ScoreByLength(LlamaForCausalLM model, CompletionSequence[] sequences, int batchSize)
    {
        var vocab = model.Config.VocabSize;
        for (var i = 0; i < sequences.Length; i++)
        {
            if (sequences[i].PromptIds.Concat(sequences[i].CompletionIds).FirstOrDefault(id => id >= vocab, -1) is var bad and >= 0)
            {
                throw new BadInputException($"line {i + 1} of the scored lines has token id {bad}, outside the model's vocabulary of {vocab}.");
            }
        }

        var order = Enumerable.Range(0, sequences.Length).OrderBy(i => sequences[i].Length).ToArray();
        var sorted = CompletionLogProbs.Score(model, [.. order.Select(i => sequences[i])], batchSize, CPU);
        var scores = new CompletionScore[sequences.Length];
        for (var k = 0; k < order.Length; k++)
        {
            scores[order[k]] = sorted[k];
        }

        return scores;
    }

    private static void WriteAtomically(string outputPath, List<InputLine> lines, CompletionScore[] scores)
    {
        var full = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        using (var writer = new StreamWriter(temp))
        {
            for (var i = 0; i < lines.Count; i++)
            {
                var json = lines[i].Json;
                json["logprob"] = scores[i].LogProb;
                json["tokens"] = scores[i].Tokens;
                writer.WriteLine(json.ToJsonString());
            }
        }

        File.Move(temp, full, overwrite: true);
    }

    private sealed record InputLine(JsonObject Json, CompletionSequence Sequence);

    private sealed class BadInputException(string message) : Exception(message);
}
