using System.CommandLine;
using System.Globalization;
using MetaRewarding.Activities.Model;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Planning;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding plan --model DIR | --preset llama-3-8b [--device-memory 141GiB] [--config RUN.json] [--dtype D]
/// [--micro-batch N] [--generation-batch N] [--scoring-batch N] [--prompt-tokens N]</c>: for each iteration, the
/// device bytes of generation, reference log-probs and DPO training (weights, gradients, optimizer, activations, KV
/// cache) and whether they fit; what does not fit is listed with its fix. The GPU worker runs the same check
/// (<see cref="RunMemoryPlan"/>) before any model activity when <c>Worker:DeviceMemory</c> is set.
/// Exit codes: 0 everything fits, 1 something does not, 2 bad input.
/// </summary>
internal static class PlanCommand
{
    public const int ExitFits = 0;
    public const int ExitDoesNotFit = 1;
    public const int ExitBadInput = 2;

    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Hugging Face model folder (its config.json is read; no weights are loaded).", HelpName = "DIR" };
        var preset = new Option<string?>("--preset") { Description = $"A published model's shape instead: {string.Join(", ", LlamaPresets.ByName.Keys)}.", HelpName = "NAME" };
        var memory = new Option<string>("--device-memory") { Description = "Accelerator memory, e.g. 141GiB (H200), 80GB (H100).", HelpName = "SIZE", DefaultValueFactory = _ => "141GiB" };
        var config = new Option<string?>("--config") { Description = "Run file or configuration (default: the paper's configuration).", HelpName = "RUN.json" };
        var dtype = new Option<string>("--dtype") { Description = "Compute dtype (Worker:ComputeDtype).", DefaultValueFactory = _ => "bfloat16" };
        var micro = new Option<int>("--micro-batch") { Description = "Pairs per DPO forward/backward (Worker:TrainingMicroBatchSize).", DefaultValueFactory = _ => 16 };
        var generation = new Option<int>("--generation-batch") { Description = "Sequences decoded together (Worker:GenerationBatchSize).", DefaultValueFactory = _ => 64 };
        var scoring = new Option<int>("--scoring-batch") { Description = "Sequences per reference forward pass (Worker:ScoringBatchSize).", DefaultValueFactory = _ => 16 };
        var prompt = new Option<int>("--prompt-tokens") { Description = "Tokens of the longest pool prompt.", DefaultValueFactory = _ => RunMemoryPlan.DefaultPromptTokens };
        var command = new Command("plan", "Print each phase's device memory (weights, gradients, optimizer, activations, KV cache) and whether it fits. Exit codes: 0 fits, 1 does not, 2 bad input.");
        foreach (var option in new Option[] { model, preset, memory, config, dtype, micro, generation, scoring, prompt })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            try
            {
                var shape = ModelShape(parse.GetValue(model), parse.GetValue(preset));
                var configuration = parse.GetValue(config) is { } path ? RunConfigurationJson.Load(path) : RunConfiguration.Paper;
                RunConfigurationValidator.ThrowIfInvalid(configuration);
                var options = new ModelActivitiesOptions
                {
                    StoreRoot = ".",
                    Device = "cuda",
                    ComputeDtype = parse.GetValue(dtype)!,
                    TrainingMicroBatchSize = Positive(parse.GetValue(micro), "--micro-batch"),
                    GenerationBatchSize = Positive(parse.GetValue(generation), "--generation-batch"),
                    ScoringBatchSize = Positive(parse.GetValue(scoring), "--scoring-batch"),
                };
                Modeling.Engine.ComputeDtypes.Parse(options.ComputeDtype);
                var device = ByteSize.Parse(parse.GetValue(memory)!);
                return Print(shape, configuration, options, device, Positive(parse.GetValue(prompt), "--prompt-tokens"), stdout);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or ConfigurationException or IOException)
            {
                stderr.WriteLine($"plan: {e.Message}");
                return ExitBadInput;
            }
        });
        return command;
    }

    private static int Print(LlamaConfig model, RunConfiguration configuration, ModelActivitiesOptions options, long device, int promptTokens, TextWriter stdout)
    {
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model: {MemoryPlan.ParameterCount(model) / 1e9:F2}B parameters, {options.ComputeDtype}; device memory {ByteSize.Format(device)}"));
        stdout.WriteLine("| iteration | phase | tokens | weights | gradients | optimizer | activations | KV cache | total | fits |");
        stdout.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        for (var i = 0; i < configuration.Iterations.Count; i++)
        {
            var shape = RunMemoryPlan.Shape(configuration, i, model, options, promptTokens);
            foreach (var phase in MemoryPlan.Compute(shape))
            {
                var tokens = phase.Phase switch
                {
                    "generation" => $"{shape.GenerationBatch} × {shape.GenerationTokens}",
                    "reference log-probs" => $"{shape.ScoringBatch} × {shape.SequenceTokens}",
                    _ => $"2 × {shape.MicroBatchPairs} × {shape.SequenceTokens}" + (shape.Lora is null ? ", full" : $", LoRA r{shape.Lora.Rank}") + (shape.GradientCheckpointing ? ", checkpointed" : ""),
                };
                stdout.WriteLine($"| {i + 1} | {phase.Phase} | {tokens} | {ByteSize.Format(phase.Weights)} | {ByteSize.Format(phase.Gradients)} | " +
                    $"{ByteSize.Format(phase.Optimizer)} | {ByteSize.Format(phase.Activations)} | {ByteSize.Format(phase.KvCache)} | {ByteSize.Format(phase.Total)} | " +
                    $"{(phase.Total <= device ? "yes" : "NO")} |");
            }
        }

        var problems = RunMemoryPlan.Problems(configuration, model, options, device, promptTokens);
        foreach (var problem in problems)
        {
            stdout.WriteLine(problem);
        }

        return problems.Count == 0 ? ExitFits : ExitDoesNotFit;
    }

    private static LlamaConfig ModelShape(string? folder, string? preset)
    {
        if ((folder is null) == (preset is null))
        {
            throw new ArgumentException($"give either --model DIR or --preset NAME ({string.Join(", ", LlamaPresets.ByName.Keys)}).");
        }

        if (preset is not null)
        {
            return LlamaPresets.ByName.GetValueOrDefault(preset)
                ?? throw new ArgumentException($"--preset must be one of {string.Join(", ", LlamaPresets.ByName.Keys)} (got '{preset}').");
        }

        return LlamaConfig.FromJsonFile(Path.Combine(folder!, HfFolder.ConfigFileName));
    }

    private static int Positive(int value, string name) => value >= 1 ? value : throw new ArgumentException($"{name} must be >= 1 (got {value}).");
}
