using System.CommandLine;
using MetaRewarding.Modeling.Engine;
using MetaRewarding.Modeling.Scoring;
using MetaRewarding.Worker.Cli.Engine;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding logprobs --model DIR --input IN.jsonl --output OUT.jsonl [--batch-size B] [--dtype D]</c>:
/// for every JSONL line with <c>prompt_ids</c> + <c>completion_ids</c> (token ids) or <c>prompt</c> + <c>completion</c>
/// (text; needs a tokenizer in the model folder), writes the line back with <c>logprob</c> (the summed log-probability
/// of the completion tokens given the prompt, fp32 log-softmax) and <c>tokens</c> (how many completion tokens).
/// Text is encoded as <see cref="CheckpointEngine.EncodeCompletion"/> does (TRL's DPO convention).
/// The whole input is validated before the model runs; the output file is written atomically.
/// Exit codes: 0 written; 2 bad input (model folder, JSONL line, options), with the reason on stderr.
/// </summary>
internal static class LogprobsCommand
{
    public const int ExitOk = EngineVerbs.ExitOk;
    public const int ExitBadInput = EngineVerbs.ExitBadInput;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model folder (config.json + safetensors; tokenizer files for text input).", HelpName = "DIR", Required = true };
        var input = new Option<string>("--input") { Description = "JSONL: one object per line with prompt_ids + completion_ids, or prompt + completion (text).", HelpName = "IN.jsonl", Required = true };
        var output = new Option<string>("--output") { Description = "JSONL written with logprob and tokens added to each input line.", HelpName = "OUT.jsonl", Required = true };
        var batchSize = new Option<int>("--batch-size") { Description = "Sequences per forward pass.", DefaultValueFactory = _ => 8 };
        var dtype = new Option<string>("--dtype") { Description = $"Compute dtype: {ComputeDtypes.Choices} (log-softmax is always fp32).", DefaultValueFactory = _ => "float32" };
        var command = new Command("logprobs", "Score completions: summed log-probability of each completion given its prompt. Exit codes: 0 written, 2 bad input.");
        foreach (var option in new Option[] { model, input, output, batchSize, dtype })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var (modelFolder, inputPath, outputPath) = (parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(output)!);
            var (batch, dtypeName, stdout) = (parse.GetValue(batchSize), parse.GetValue(dtype)!, parse.InvocationConfiguration.Output);
            return EngineVerbs.Run("logprobs", parse.InvocationConfiguration.Error, () => Score(modelFolder, inputPath, outputPath, batch, dtypeName, stdout));
        });
        return command;
    }

    /// <summary>Runs the verb in-process with the given arguments (those after <c>logprobs</c>) and writers.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("logprobs only") { Create() };
        return root.Parse(["logprobs", .. args]).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static int Score(string modelFolder, string inputPath, string outputPath, int batchSize, string dtypeName, TextWriter stdout)
    {
        if (batchSize < 1)
        {
            throw new CliInputException($"--batch-size must be >= 1 (got {batchSize}).");
        }

        ComputeDtypes.Parse(dtypeName);
        var lines = JsonlObjects.Read(inputPath);
        using var engine = EngineVerbs.Load(modelFolder, dtypeName);
        var sequences = lines.Select(line => ToSequence(line, engine, modelFolder)).ToArray();
        var scores = engine.Score(sequences, batchSize);
        JsonlObjects.WriteAtomically(outputPath, lines.Select((line, i) =>
        {
            line.Json["logprob"] = scores[i].LogProb;
            line.Json["tokens"] = scores[i].Tokens;
            return line.Json;
        }));
        stdout.WriteLine($"scored {lines.Count} completions ({scores.Sum(s => s.Tokens)} tokens) -> {outputPath}");
        return ExitOk;
    }

    private static CompletionSequence ToSequence(JsonlObject line, CheckpointEngine engine, string modelFolder)
    {
        if (line.Json.ContainsKey("prompt_ids") || line.Json.ContainsKey("completion_ids"))
        {
            var prompt = JsonlObjects.Ids(line, "prompt_ids");
            return prompt.Length > 0
                ? new CompletionSequence(prompt, JsonlObjects.Ids(line, "completion_ids"))
                : throw new CliInputException($"{line.Where}: prompt_ids is empty; the first completion token needs a prompt (at least a BOS token).");
        }

        if (JsonlObjects.Text(line, "prompt") is not { } promptText || JsonlObjects.Text(line, "completion") is not { } completionText)
        {
            throw new CliInputException($"{line.Where}: needs \"prompt_ids\" and \"completion_ids\" (token ids) or \"prompt\" and \"completion\" (strings).");
        }

        if (engine.Tokenizer is null)
        {
            throw new CliInputException(
                $"{line.Where}: text input needs a tokenizer in the model folder '{modelFolder}', which has none. Give prompt_ids and completion_ids instead.");
        }

        try
        {
            return engine.EncodeCompletion(promptText, completionText);
        }
        catch (ArgumentException e)
        {
            throw new CliInputException($"{line.Where}: {e.Message}");
        }
    }
}
