using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Engine;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaRewarding.Worker.Cli.Bench;

/// <summary>
/// <c>metarewarding bench --size 3m|100m --mode MODE --batch B [--seq T] [--prompt P] [--new-tokens N] [--warmup W]
/// [--repeats R] [--threads K] [--groups G]</c>: times one workload on a randomly initialised Llama and prints one JSON line with
/// the median time, tokens/s and peak RSS. Each mode lives in its own file and is listed in <see cref="Modes"/>;
/// <c>train</c> and <c>generate</c> have the same configurations, shapes and measurement in
/// tests/benchmarks/bench_reference_torch.py (PyTorch), so the two lines can be compared as ratios (bench_compare.sh
/// runs both sides interleaved).
/// </summary>
internal static class BenchCommand
{
    public const int ExitOk = 0;
    public const int ExitBadInput = 2;

    /// <summary>Every mode: its name and what runs it. Add a mode by adding its file and a line here.</summary>
    public static IReadOnlyDictionary<string, Func<LlamaForCausalLM, BenchSettings, BenchRun>> Modes { get; } =
        new Dictionary<string, Func<LlamaForCausalLM, BenchSettings, BenchRun>>(StringComparer.Ordinal)
        {
            ["train"] = TrainingBench.Run,
            ["dpo"] = DpoBench.Run,
            ["generate"] = GenerationBench.Run,
            ["generate-static"] = GenerationBench.Run,
            ["actor"] = GenerationBench.RunShape,
            ["judge"] = GenerationBench.RunShape,
            ["meta-judge"] = GenerationBench.RunShape,
            ["openai"] = OpenAiBench.Run,
        };

    /// <summary>The benchmark models; tests/benchmarks/bench_reference_torch.py defines the same two.</summary>
    public static LlamaConfig ConfigFor(string size) => size switch
    {
        // ~3.4M parameters: the sandbox-scale model (docs/ENVIRONMENT.md's speed figures).
        "3m" => new LlamaConfig
        {
            VocabSize = 2048, HiddenSize = 256, IntermediateSize = 688, NumHiddenLayers = 3, NumAttentionHeads = 4,
            NumKeyValueHeads = 4, HeadDim = 64, MaxPositionEmbeddings = 2048, RmsNormEps = 1e-5, RopeTheta = 10000,
        },
        // ~99M parameters: Llama-3-like shape (GQA 12/4 heads, 32k vocabulary) at a size two cores can train.
        "100m" => new LlamaConfig
        {
            VocabSize = 32000, HiddenSize = 768, IntermediateSize = 2048, NumHiddenLayers = 8, NumAttentionHeads = 12,
            NumKeyValueHeads = 4, HeadDim = 64, MaxPositionEmbeddings = 2048, RmsNormEps = 1e-5, RopeTheta = 10000,
        },
        // The real Llama-3-8B shape with random weights: the GPU proof (tests/benchmarks/gpu_dpo_compare.sh).
        _ when LlamaPresets.ByName.TryGetValue(size, out var preset) => preset,
        _ => throw new ArgumentException($"--size must be 3m, 100m or {string.Join(", ", LlamaPresets.ByName.Keys)} (got '{size}')."),
    };

    public static Command Create()
    {
        var size = new Option<string>("--size") { Description = "Model: 3m or 100m.", DefaultValueFactory = _ => "3m" };
        var mode = new Option<string>("--mode") { Description = $"Workload: {string.Join(", ", Modes.Keys)}.", DefaultValueFactory = _ => "train" };
        var batch = new Option<int>("--batch") { Description = "Sequences per step / per generation batch.", DefaultValueFactory = _ => 8 };
        var seq = new Option<int>("--seq") { Description = "Training sequence length.", DefaultValueFactory = _ => 128 };
        var prompt = new Option<int>("--prompt") { Description = "Generation prompt length.", DefaultValueFactory = _ => 32 };
        var newTokens = new Option<int>("--new-tokens") { Description = "Tokens generated per sequence.", DefaultValueFactory = _ => 64 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs first.", DefaultValueFactory = _ => 1 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs; the median is reported.", DefaultValueFactory = _ => 5 };
        var groups = new Option<int>("--groups") { Description = "Workload shapes: prompts (actor) or responses (judge, meta-judge) in the workload.", DefaultValueFactory = _ => 2 };
        var threads = new Option<int>("--threads") { Description = "Torch intra-op threads.", DefaultValueFactory = _ => TorchRuntime.DefaultThreads };
        var dtype = new Option<string>("--dtype") { Description = $"Compute dtype of the model: {ComputeDtypes.Choices} (bf16 trains with fp32 master weights).", DefaultValueFactory = _ => "float32" };
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var checkpointing = new Option<bool>("--checkpointing") { Description = "Training modes: recompute each decoder layer in backward." };
        var lora = new Option<int>("--lora") { Description = "dpo mode: train LoRA adapters of this rank on every projection (0: full fine-tuning).", DefaultValueFactory = _ => 0 };
        var command = new Command("bench", "Time a workload (training steps, generation) on a random Llama; prints one JSON line.");
        foreach (var option in new Option[] { size, mode, batch, seq, prompt, newTokens, warmup, repeats, threads, groups, dtype, device, checkpointing, lora })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            try
            {
                var settings = new BenchSettings(
                    parse.GetValue(size)!, parse.GetValue(mode)!, parse.GetValue(batch), parse.GetValue(seq), parse.GetValue(prompt),
                    parse.GetValue(newTokens), parse.GetValue(warmup), parse.GetValue(repeats), parse.GetValue(threads))
                {
                    Groups = parse.GetValue(groups),
                    Dtype = parse.GetValue(dtype)!,
                    Device = parse.GetValue(device)!,
                    Checkpointing = parse.GetValue(checkpointing),
                    LoraRank = parse.GetValue(lora),
                };
                stdout.WriteLine(Execute(settings).ToJsonString());
                return ExitOk;
            }
            catch (ArgumentException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"bench: {e.Message}");
                return ExitBadInput;
            }
        });
        return command;
    }

    public static JsonObject Execute(BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Batch < 1 || settings.Seq < 2 || settings.Prompt < 1 || settings.NewTokens < 1 || settings.Repeats < 1 || settings.Warmup < 0 || settings.Threads < 1 || settings.LoraRank < 0)
        {
            throw new ArgumentException("--batch, --prompt, --new-tokens, --repeats and --threads must be >= 1, --seq >= 2, --warmup and --lora >= 0.");
        }

        var run = Modes.GetValueOrDefault(settings.Mode)
            ?? throw new ArgumentException($"--mode must be one of {string.Join(", ", Modes.Keys)} (got '{settings.Mode}').");
        var config = ConfigFor(settings.Size);
        var dtype = ComputeDtypes.Parse(settings.Dtype);
        TorchRuntime.Initialize(settings.Threads);
        set_num_threads(settings.Threads);
        var device = BenchDevice(settings.Device);
        using var model = LlamaForCausalLM.Create(config, dtype, device, seed: 0);
        var parameters = model.parameters().Sum(p => p.numel());
        var result = run(model, settings);

        var median = Median(result.Times.Wall);
        var line = new JsonObject
        {
            ["impl"] = "torchsharp",
            ["size"] = settings.Size,
            ["mode"] = settings.Mode,
            ["batch"] = settings.Batch,
            ["seq"] = result.SequenceLength,
            ["parameters"] = parameters,
            ["threads"] = settings.Threads,
            ["median_s"] = Math.Round(median, 4),
            ["tokens_per_s"] = Math.Round(result.TokensPerRun / median, 1),
            ["times_s"] = new JsonArray([.. result.Times.Wall.Select(t => (JsonNode)Math.Round(t, 4))]),
            ["cpu_median_s"] = Math.Round(Median(result.Times.Cpu), 4),
            ["peak_rss_mb"] = PeakRssMegabytes(),
            ["load_average"] = LoadAverage(),
        };
        foreach (var (key, value) in result.Extra ?? [])
        {
            line[key] = value?.DeepClone();
        }

        return line;
    }

    private static Device BenchDevice(string name)
    {
        if (name == "cpu")
        {
            return CPU;
        }

        if (name != "cuda")
        {
            throw new ArgumentException($"--device must be cpu or cuda (got '{name}').");
        }

        // The GPU machine's PyTorch provides libtorch with CUDA (shared/gpu's env.sh puts it on LD_LIBRARY_PATH).
        InitializeDeviceType(DeviceType.CUDA);
        return cuda.is_available() ? CUDA : throw new ArgumentException("--device cuda: CUDA is not available to libtorch here.");
    }

    /// <summary>
    /// Runs <paramref name="run"/> <see cref="BenchSettings.Warmup"/> times untimed, then <see cref="BenchSettings.Repeats"/>
    /// times timed: wall seconds, and the process's CPU seconds (steadier than wall time on a loaded machine).
    /// </summary>
    public static BenchTimes Time(BenchSettings settings, Action run)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(run);
        for (var i = 0; i < settings.Warmup; i++)
        {
            run();
        }

        var times = new BenchTimes();
        for (var i = 0; i < settings.Repeats; i++)
        {
            times.Add(Measure(run));
        }

        return times;
    }

    /// <summary>Wall and process CPU seconds of one call of <paramref name="run"/>.</summary>
    public static (double Wall, double Cpu) Measure(Action run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        run();
        var wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>The median of <paramref name="values"/>.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // The 1-minute load average: figures from a loaded machine say so beside them.
    private static double LoadAverage() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : double.NaN;

    // VmHWM: the process's peak resident set size, as the kernel counts it (what ru_maxrss reports in Python).
    private static double PeakRssMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : Math.Round(double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024, 1);
    }
}

/// <summary>The options of one <c>bench</c> run.</summary>
internal sealed record BenchSettings(string Size, string Mode, int Batch, int Seq, int Prompt, int NewTokens, int Warmup, int Repeats, int Threads)
{
    /// <summary>Workload shapes: prompts or responses in the workload.</summary>
    public int Groups { get; init; } = 2;

    public string Dtype { get; init; } = "float32";

    public string Device { get; init; } = "cpu";

    public bool Checkpointing { get; init; }

    public int LoraRank { get; init; }
}

/// <summary>What a mode measured: the timed runs, the tokens one run processes, the sequence length it reports, and mode-specific fields.</summary>
internal sealed record BenchRun(BenchTimes Times, long TokensPerRun, int SequenceLength, JsonObject? Extra = null);

/// <summary>Timed runs: wall and process CPU seconds of each.</summary>
internal sealed class BenchTimes
{
    public List<double> Wall { get; } = [];

    public List<double> Cpu { get; } = [];

    public void Add((double Wall, double Cpu) run)
    {
        Wall.Add(run.Wall);
        Cpu.Add(run.Cpu);
    }
}
