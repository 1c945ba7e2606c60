using MetaRewarding.Activities.Contracts;
using MetaRewarding.Modeling.Engine;

namespace MetaRewarding.Worker.Hosting;

/// <summary>What a worker process serves and where it keeps artifacts (configuration section <c>Worker</c>).</summary>
public sealed class WorkerSettings
{
    public const string Section = "Worker";
    public const string CpuQueue = "cpu";
    public const string GpuQueue = "gpu";

    /// <summary>
    /// The queues this process serves, comma-separated: <c>cpu</c> (both workflows and the run activities) and/or
    /// <c>gpu</c> (the model activities, one at a time). A GPU machine runs <c>gpu</c>; any small machine runs
    /// <c>cpu</c>. A string rather than an array: configuration layers merge arrays by index, so an override
    /// <c>gpu</c> over a default <c>[cpu, gpu]</c> would not mean "gpu only".
    /// </summary>
    public string Queues { get; set; } = "cpu,gpu";

    public string CpuTaskQueue { get; set; } = new TaskQueues().Cpu;

    public string GpuTaskQueue { get; set; } = new TaskQueues().Gpu;

    /// <summary>Artifact store root; every worker of a deployment must see the same folder at the same path.</summary>
    public string Artifacts { get; set; } = "./artifacts";

    /// <summary>torch device of the model activities: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary><c>float32</c> (bit-reproducible on CPU) or <c>bfloat16</c> (GPU).</summary>
    public string ComputeDtype { get; set; } = "float32";

    /// <summary>
    /// Model activities a CPU worker (<see cref="Device"/> <c>cpu</c>) runs at once; an accelerator always runs one
    /// (one device, one activity). The slots split the cores (torch threads = 2 / slots): the demo runs its two
    /// seed SFTs side by side at one thread each, which on 2 cores costs about the wall time of one (docs/SANDBOX.md)
    /// instead of two. Sampling still takes turns on the worker's one cached model.
    /// </summary>
    public int ModelActivitySlots { get; set; } = 1;

    /// <summary>The model activities this process runs at once: <see cref="ModelActivitySlots"/> on cpu, else 1.</summary>
    public int EffectiveModelActivitySlots => Device.Equals("cpu", StringComparison.OrdinalIgnoreCase) ? ModelActivitySlots : 1;

    /// <summary>How long a stopping worker lets running activities finish before cancelling them.</summary>
    public int GracefulShutdownSeconds { get; set; } = 30;

    public TaskQueues TaskQueues => new() { Cpu = CpuTaskQueue, Gpu = GpuTaskQueue };

    /// <summary>The queue names as given, lower-cased and without duplicates, defaulting to both.</summary>
    public IReadOnlyList<string> ServedQueues()
    {
        var queues = Queues.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(q => q.ToLowerInvariant()).Distinct().ToList();
        return queues.Count == 0 ? [CpuQueue, GpuQueue] : queues;
    }

    /// <summary>Every problem, one message each naming the setting and what it accepts.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var queue in ServedQueues().Where(q => q is not (CpuQueue or GpuQueue)))
        {
            errors.Add($"unknown queue '{queue}' in Worker:Queues / --queues; use cpu, gpu or cpu,gpu");
        }

        if (string.IsNullOrWhiteSpace(CpuTaskQueue) || string.IsNullOrWhiteSpace(GpuTaskQueue))
        {
            errors.Add("Worker:CpuTaskQueue and Worker:GpuTaskQueue must be non-empty task queue names");
        }

        if (string.IsNullOrWhiteSpace(Artifacts))
        {
            errors.Add("Worker:Artifacts / --artifacts must name the artifact store folder");
        }

        if (!ComputeDtypes.TryParse(ComputeDtype, out _))
        {
            errors.Add($"Worker:ComputeDtype must be {ComputeDtypes.Choices}, got '{ComputeDtype}'");
        }

        if (ModelActivitySlots < 1)
        {
            errors.Add($"Worker:ModelActivitySlots must be >= 1 (model activities run at once on a cpu worker), got {ModelActivitySlots}");
        }

        if (GracefulShutdownSeconds < 0)
        {
            errors.Add($"Worker:GracefulShutdownSeconds must be >= 0, got {GracefulShutdownSeconds}");
        }

        return errors;
    }
}
