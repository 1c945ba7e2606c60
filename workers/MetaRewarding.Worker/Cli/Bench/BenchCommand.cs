using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using static TorchSharp.torch;

namespace MetaRewarding.Worker.Cli.Bench;

/// <summary>
/// <c>metarewarding bench --size 3m|100m --mode MODE --batch B [--seq T] [--prompt P] [--new-tokens N] [--warmup W]
/// [--repeats R] [--threads K]</c>: times one workload on a randomly initialised Llama and prints one JSON line with
/// the median time, tokens/s and peak RSS. Each mode lives in its own file and is listed in <see cref="Modes"/>;
/// <c>train</c> and <c>generate</c> have the same configurations, shapes and measurement in bench_reference_torch.py
/// (PyTorch), so the two lines can be compared as ratios (bench_compare.sh runs both sides interleaved).
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
            ["generate"] = GenerationBench.Run,
        };

    /// <summary>The benchmark models; bench_reference_torch.py defines the same two.</summary>
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
        _ => throw new ArgumentException($"--size must be 3m or 100m (got '{size}')."),
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
        var threads = new Option<int>("--threads") { Description = "Torch intra-op threads.", DefaultValueFactory = _ => TorchRuntime.DefaultThreads };
        var command = new Command("bench", "Time a workload (training steps, generation) on a random Llama; prints one JSON line.");
        foreach (var option in new Option[] { size, mode, batch, seq, prompt, newTokens, warmup, repeats, threads })
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
                    parse.GetValue(newTokens), parse.GetValue(warmup), parse.GetValue(repeats), parse.GetValue(threads));
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
        if (settings.Batch < 1 || settings.Seq < 2 || settings.Prompt < 1 || settings.NewTokens < 1 || settings.Repeats < 1 || settings.Warmup < 0 || settings.Threads < 1)
        {
            throw new ArgumentException("--batch, --prompt, --new-tokens, --repeats and --threads must be >= 1, --seq >= 2, --warmup >= 0.");
        }

        var run = Modes.GetValueOrDefault(settings.Mode)
            ?? throw new ArgumentException($"--mode must be one of {string.Join(", ", Modes.Keys)} (got '{settings.Mode}').");
        var config = ConfigFor(settings.Size);
        TorchRuntime.Initialize(settings.Threads);
        set_num_threads(settings.Threads);
        using var model = LlamaForCausalLM.Create(config, ScalarType.Float32, CPU, seed: 0);
        var parameters = model.parameters().Sum(p => p.numel());
        var result = run(model, settings);

        var times = result.Times.Order().ToList();
        var median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[(times.Count / 2) - 1] + times[times.Count / 2]) / 2;
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
            ["times_s"] = new JsonArray([.. times.Select(t => (JsonNode)Math.Round(t, 4))]),
            ["peak_rss_mb"] = PeakRssMegabytes(),
        };
        foreach (var (key, value) in result.Extra ?? [])
        {
            line[key] = value?.DeepClone();
        }

        return line;
    }

    /// <summary>Runs <paramref name="run"/> <see cref="BenchSettings.Warmup"/> times untimed, then <see cref="BenchSettings.Repeats"/> times timed (seconds).</summary>
    public static List<double> Time(BenchSettings settings, Action run)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(run);
        for (var i = 0; i < settings.Warmup; i++)
        {
            run();
        }

        var times = new List<double>();
        for (var i = 0; i < settings.Repeats; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            run();
            times.Add(clock.Elapsed.TotalSeconds);
        }

        return times;
    }

    // VmHWM: the process's peak resident set size, as the kernel counts it (what ru_maxrss reports in Python).
    private static double PeakRssMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : Math.Round(double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024, 1);
    }
}

/// <summary>The options of one <c>bench</c> run.</summary>
internal sealed record BenchSettings(string Size, string Mode, int Batch, int Seq, int Prompt, int NewTokens, int Warmup, int Repeats, int Threads);

/// <summary>What a mode measured: the timed runs (seconds), the tokens one run processes, the sequence length it reports, and mode-specific fields.</summary>
internal sealed record BenchRun(List<double> Times, long TokensPerRun, int SequenceLength, JsonObject? Extra = null);
