using System.Diagnostics;
using MetaRewarding.Alignment.Benchmarks;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Metrics;
using MetaRewarding.Alignment.Pairs;

// Benchmarks of the algorithm library, printed as figures (nothing is asserted). The measured code is
// single-threaded and the GC non-concurrent, so the CPU time reported is its cost on one core. Usage: dotnet run -c Release --project tests/MetaRewarding.Alignment.Benchmarks [-- prompts [runs]]
var prompts = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5000;
var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
Console.WriteLine($"Environment: {Environment.ProcessorCount} logical CPUs visible; .NET {Environment.Version}; GC server={System.Runtime.GCSettings.IsServerGC}");
EloBenchmark.Run();

var folder = Directory.CreateTempSubdirectory("alignment-bench-").FullName;
try
{
    var configuration = RunConfiguration.Paper;
    var iteration = configuration.Iterations[0]; // iteration 1 trains the judge: actor and judge pairs
    var generate = Stopwatch.StartNew();
    var inputs = SyntheticIteration.Write(folder, prompts, iteration.ResponsesPerPrompt, iteration.JudgmentsPerResponse, configuration.Seed, 1);
    var sizes = new[] { inputs.PromptsPath, inputs.ResponsesPath, inputs.JudgmentsPath, inputs.MetaJudgmentsPath! }
        .Select(p => (Name: Path.GetFileName(p), Bytes: new FileInfo(p).Length)).ToArray();
    Console.WriteLine($"Generated {prompts:N0} prompts x {iteration.ResponsesPerPrompt} responses x {iteration.JudgmentsPerResponse} judgments (+ meta-judgments) in {generate.Elapsed.TotalSeconds:F1} s: "
        + string.Join(", ", sizes.Select(s => $"{s.Name} {s.Bytes / 1e6:F1} MB")) + $"; total {sizes.Sum(s => s.Bytes) / 1e6:F0} MB");

    var context = IterationPairContext.For(configuration, 1);
    var pairsPath = Path.Combine(folder, "pairs.jsonl");
    IterationMetrics? metrics = null;
    var median = Timing.Median(warmups: 1, runs: runs, () =>
    {
        using var writer = new JsonlWriter<PreferencePairRecord>(File.Create(pairsPath), DatasetJsonContext.Default.PreferencePairRecord, ownsStream: true);
        metrics = IterationPairBuilder.Build(inputs, context, writer.Write);
    });
    Console.WriteLine($"Read + pair (stream 4 JSONL files, parse {metrics!.Judgments:N0} judgments and {metrics.MetaJudgments:N0} meta-judgments, {metrics.EloFits:N0} Elo fits, write pairs.jsonl): median {median.Cpu.TotalSeconds:F3} s CPU ({median.Wall.TotalSeconds:F3} s wall) over {runs} runs after 1 warm-up");
    Console.WriteLine($"  pairs: {metrics.ActorPairs:N0} actor, {metrics.JudgePairs:N0} judge; invalid judgments {metrics.InvalidJudgmentRate:P1}; omega1/omega2 {metrics.Omega1:F3}/{metrics.Omega2:F3}; first-position rate {metrics.MetaJudgeFirstPositionRate:P1}; Elo mean {metrics.EloMeanIterations:F1} / max {metrics.EloMaxIterations} iterations");
    Console.WriteLine($"  peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
}
finally
{
    Directory.Delete(folder, recursive: true);
}
