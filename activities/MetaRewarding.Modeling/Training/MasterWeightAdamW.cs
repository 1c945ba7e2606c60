using MetaRewarding.Modeling.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Training;

/// <summary>
/// AdamW (PyTorch's single-tensor formula) whose state is always fp32: the moments, and for a bf16/fp16 parameter an
/// fp32 master copy that the step updates before writing it back rounded to the parameter's dtype (the standard
/// mixed-precision recipe). Without the master copy a bf16 weight drops most updates at DPO learning rates: at lr 5e-6
/// only ~8% of a Llama-scaled weight's elements change at all (README.md, "Train Llama-3-8B on one GPU"). fp32 parameters
/// are stepped in place, with no copy. Gradients are widened to fp32 one parameter at a time, so the extra memory is
/// one parameter's worth, not a second set of gradients.
/// </summary>
public sealed class MasterWeightAdamW : IDisposable
{
    private const string StepKey = "step";
    private readonly List<Slot> slots;

    /// <param name="parameters">The trainable parameters with their names (the names key the saved state).</param>
    /// <param name="beta1">β1, the first moment's decay.</param>
    /// <param name="beta2">β2, the second moment's decay.</param>
    /// <param name="epsilon">ε added to the denominator.</param>
    /// <param name="weightDecay">Decoupled weight decay (multiplies the weight by 1 − lr·wd each step).</param>
    /// <param name="keepMasterWeights">
    /// False keeps the moments in the parameter's dtype and steps it directly, with no master copy: the pure-bf16
    /// recipe that loses updates. Only tests use it, to pin the difference.
    /// </param>
    public MasterWeightAdamW(IEnumerable<(string Name, Parameter Parameter)> parameters, double beta1, double beta2, double epsilon, double weightDecay, bool keepMasterWeights = true)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        slots = [];
        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            var half = parameter.dtype is ScalarType.BFloat16 or ScalarType.Float16;
            var stateDtype = half && !keepMasterWeights ? parameter.dtype : ScalarType.Float32;
            // State outlives any dispose scope the caller is in: this object disposes it.
            var master = half && keepMasterWeights ? parameter.detach().to(ScalarType.Float32).DetachFromDisposeScope() : null;
            slots.Add(new Slot(
                name,
                parameter,
                master,
                zeros(parameter.shape, stateDtype, parameter.device).DetachFromDisposeScope(),
                zeros(parameter.shape, stateDtype, parameter.device).DetachFromDisposeScope()));
        }
    }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Epsilon { get; }

    public double WeightDecay { get; }

    /// <summary>Optimizer steps taken (the bias corrections depend on it).</summary>
    public long StepCount { get; private set; }

    /// <summary>The parameters this optimizer updates.</summary>
    public IReadOnlyList<Parameter> Parameters => [.. slots.Select(s => s.Parameter)];

    /// <summary>Bytes of optimizer state per trainable parameter element: moments, plus a master copy for half-precision parameters.</summary>
    public long StateBytes => slots.Sum(s => (s.ExpAvg.numel() * 2 * s.ExpAvg.ElementSize) + (s.Master is null ? 0 : s.Master.numel() * 4));

    /// <summary>Sets every gradient to none (frees it), as PyTorch's zero_grad(set_to_none=True).</summary>
    public void ZeroGrad()
    {
        foreach (var slot in slots)
        {
            var grad = slot.Parameter.grad;
            if (grad is not null)
            {
                slot.Parameter.grad = null;
                grad.Dispose();
            }
        }
    }

    /// <summary>
    /// One AdamW step at <paramref name="learningRate"/>; each gradient is multiplied by <paramref name="gradientScale"/>
    /// first (the clipping coefficient, applied in fp32). Parameters without a gradient are skipped, as in PyTorch.
    /// </summary>
    public void Step(double learningRate, double gradientScale = 1.0)
    {
        StepCount++;
        var biasCorrection1 = 1 - Math.Pow(Beta1, StepCount);
        var biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, StepCount));
        var stepSize = learningRate / biasCorrection1;
        using var noGrad = no_grad();
        foreach (var slot in slots)
        {
            using var scope = NewDisposeScope();
            var rawGrad = slot.Parameter.grad;
            if (rawGrad is null)
            {
                continue;
            }

            var target = slot.Master ?? slot.Parameter;
            var grad = rawGrad.dtype == slot.ExpAvg.dtype ? rawGrad : rawGrad.to(slot.ExpAvg.dtype);
            if (gradientScale != 1.0)
            {
                grad = ReferenceEquals(grad, rawGrad) ? grad.mul(gradientScale) : grad.mul_(gradientScale);
            }

            if (WeightDecay != 0)
            {
                target.mul_(1 - (learningRate * WeightDecay));
            }

            slot.ExpAvg.lerp_(grad, 1 - Beta1);
            slot.ExpAvgSq.mul_(Beta2).addcmul_(grad, grad, 1 - Beta2);
            var denominator = slot.ExpAvgSq.sqrt().div_(biasCorrection2Sqrt).add_(Epsilon);
            target.addcdiv_(slot.ExpAvg, denominator, -stepSize);
            if (slot.Master is not null)
            {
                // Round to nearest into the compute dtype; the master keeps what the rounding drops.
                slot.Parameter.copy_(slot.Master);
            }
        }
    }

    /// <summary>
    /// Writes the step count, the moments and the master weights to one safetensors file (through a temporary file
    /// and a rename). A resume then continues from the exact fp32 weights, not from their rounded copies.
    /// </summary>
    public void Save(string path)
    {
        var tensors = new List<(string, Tensor)>();
        foreach (var slot in slots)
        {
            tensors.Add(($"exp_avg/{slot.Name}", slot.ExpAvg));
            tensors.Add(($"exp_avg_sq/{slot.Name}", slot.ExpAvgSq));
            if (slot.Master is not null)
            {
                tensors.Add(($"master/{slot.Name}", slot.Master));
            }
        }

        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { [StepKey] = StepCount.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    /// <summary>Loads what <see cref="Save"/> wrote and writes the master weights back into the parameters.</summary>
    public void Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CheckpointCorruptException(
                $"{path} is missing: the checkpoint was written by an earlier version (TorchSharp's optimizer.bin has no fp32 master " +
                "weights). Delete the checkpoints folder to train this step again from its start model.");
        }

        using var reader = SafetensorsReader.Open(path);
        if (!reader.Metadata.TryGetValue(StepKey, out var stepText) || !long.TryParse(stepText, System.Globalization.CultureInfo.InvariantCulture, out var step))
        {
            throw new CheckpointCorruptException($"{path} has no '{StepKey}' in its metadata; it was not written by {nameof(MasterWeightAdamW)}.");
        }

        using var noGrad = no_grad();
        foreach (var slot in slots)
        {
            Restore(reader, $"exp_avg/{slot.Name}", slot.ExpAvg, path);
            Restore(reader, $"exp_avg_sq/{slot.Name}", slot.ExpAvgSq, path);
            if (slot.Master is not null)
            {
                Restore(reader, $"master/{slot.Name}", slot.Master, path);
                slot.Parameter.copy_(slot.Master);
            }
        }

        StepCount = step;
    }

    public void Dispose()
    {
        foreach (var slot in slots)
        {
            slot.Master?.Dispose();
            slot.ExpAvg.Dispose();
            slot.ExpAvgSq.Dispose();
        }
    }

    private static void Restore(SafetensorsReader reader, string name, Tensor into, string path)
    {
        if (!reader.Entries.ContainsKey(name))
        {
            throw new CheckpointCorruptException($"{path} has no tensor '{name}'; the checkpoint belongs to a model with other trainable parameters.");
        }

        using var stored = reader.Read(name);
        if (!stored.shape.SequenceEqual(into.shape) || stored.dtype != into.dtype)
        {
            throw new CheckpointCorruptException(
                $"{path}: '{name}' is {stored.dtype} [{string.Join(", ", stored.shape)}], expected {into.dtype} [{string.Join(", ", into.shape)}].");
        }

        into.copy_(stored);
    }

    private sealed record Slot(string Name, Parameter Parameter, Tensor? Master, Tensor ExpAvg, Tensor ExpAvgSq);
}
