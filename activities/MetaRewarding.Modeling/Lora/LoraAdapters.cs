using MetaRewarding.Modeling.Llama;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Lora;

/// <summary>
/// LoRA adapters on a <see cref="LlamaForCausalLM"/>, compatible with PEFT: the base weights are frozen, every target
/// projection gets <c>lora_A</c> / <c>lora_B</c> (named as PEFT names them, so the trainable parameters are
/// <c>model.layers.0.self_attn.q_proj.lora_A.weight</c>, …), the adapters can be switched off to make the model its
/// own base (the DPO reference, with no second model in memory), saved and loaded as a PEFT adapter folder
/// (<see cref="PeftAdapterFolder"/>), and merged into the base weights.
/// </summary>
public sealed class LoraAdapters : IDisposable
{
    private readonly LlamaForCausalLM model;
    private readonly List<(string Path, ProjectionWeight Projection, LoraAdapter Adapter)> adapters;
    private bool removed;

    private LoraAdapters(LlamaForCausalLM model, LoraOptions options, List<(string, ProjectionWeight, LoraAdapter)> adapters)
    {
        this.model = model;
        Options = options;
        this.adapters = adapters;
    }

    public LoraOptions Options { get; }

    /// <summary>The adapters' parameters with their names in the model (what the optimizer trains).</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> Parameters =>
        [.. adapters.SelectMany(a => new[] { ($"{a.Path}.lora_A.weight", a.Adapter.A.Weight), ($"{a.Path}.lora_B.weight", a.Adapter.B.Weight) })];

    /// <summary>Trainable adapter elements: r · (in + out) per target projection.</summary>
    public long ParameterCount => adapters.Sum(a => a.Adapter.A.Weight.numel() + a.Adapter.B.Weight.numel());

    /// <summary>True for the name of an adapter parameter (PEFT's <c>lora_A</c> / <c>lora_B</c>), false for a base weight.</summary>
    public static bool IsAdapterParameter(string name) =>
        name.Contains(".lora_A.", StringComparison.Ordinal) || name.Contains(".lora_B.", StringComparison.Ordinal);

    /// <summary>The projection names LoRA can target in <paramref name="model"/> (q_proj, …, down_proj, and lm_head when untied).</summary>
    public static IReadOnlyList<string> TargetableModules(LlamaForCausalLM model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. Projections(model).Select(p => LastPart(p.Path)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Freezes every base weight of <paramref name="model"/> and attaches fresh adapters to the projections named in
    /// <paramref name="options"/> (A Kaiming-uniform from <paramref name="seed"/>, B zero: the outputs do not change).
    /// </summary>
    public static LoraAdapters Attach(LlamaForCausalLM model, LoraOptions options, long seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (model.Lora is not null)
        {
            throw new InvalidOperationException("The model already has LoRA adapters; merge or remove them first.");
        }

        var targetable = TargetableModules(model);
        var unknown = options.TargetModules.Where(t => !targetable.Contains(t, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"LoRA target module(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))} not in this model; it has {string.Join(", ", targetable)}.",
                nameof(options));
        }

        using var generator = new Generator(unchecked((ulong)seed), CPU);
        var attached = new List<(string, ProjectionWeight, LoraAdapter)>();
        foreach (var (path, projection) in Projections(model).Where(p => options.TargetModules.Contains(LastPart(p.Path), StringComparer.Ordinal)))
        {
            var (outFeatures, inFeatures) = (projection.Weight.shape[0], projection.Weight.shape[1]);

            // PEFT's init_lora_weights=True: kaiming_uniform_(a=√5) on A, i.e. U(−1/√in, 1/√in); B = 0.
            var bound = 1 / Math.Sqrt(inFeatures);
            var initial = rand([options.Rank, inFeatures], ScalarType.Float32, CPU, generator: generator).mul_(2 * bound).sub_(bound);
            var a = initial.to(projection.Weight.device);
            if (!ReferenceEquals(a, initial))
            {
                initial.Dispose();
            }

            var adapter = new LoraAdapter(
                new LoraMatrix("lora_A", a.DetachFromDisposeScope()),
                new LoraMatrix("lora_B", zeros([outFeatures, options.Rank], ScalarType.Float32, projection.Weight.device).DetachFromDisposeScope()),
                options.Scaling,
                options.Dropout);
            projection.Attach(adapter);
            attached.Add((path, projection, adapter));
        }

        foreach (var (name, parameter) in model.named_parameters())
        {
            parameter.requires_grad = IsAdapterParameter(name);
        }

        model.SetLayerRandomness(options.Dropout > 0);
        var lora = new LoraAdapters(model, options, attached);
        model.Lora = lora;
        if (model.training)
        {
            model.train();
        }
        else
        {
            model.eval();
        }

        return lora;
    }

    /// <summary>Switches the adapters off until the returned scope is disposed: the model computes as its base.</summary>
    public IDisposable Disable()
    {
        EnsureAttached();
        foreach (var (_, _, adapter) in adapters)
        {
            adapter.Enabled = false;
        }

        return new Reenable(this);
    }

    /// <summary>Writes the adapters as PEFT writes them (adapter_config.json + adapter_model.safetensors).</summary>
    public void Save(string folder, string? baseModelPath)
    {
        EnsureAttached();
        PeftAdapterFolder.Write(folder, Options, baseModelPath, [.. Parameters.Select(p => (p.Name, (Tensor)p.Parameter))]);
    }

    /// <summary>Loads adapter weights saved by <see cref="Save"/> (or PEFT) into these adapters; the shapes must agree.</summary>
    public void LoadWeights(string folder)
    {
        EnsureAttached();
        var stored = PeftAdapterFolder.ReadOptions(folder);
        if (stored.Rank != Options.Rank || !stored.TargetModules.Order(StringComparer.Ordinal).SequenceEqual(Options.TargetModules.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            throw new InvalidDataException(
                $"Adapter {folder} has rank {stored.Rank} on {string.Join(", ", stored.TargetModules)}; these adapters have rank {Options.Rank} on " +
                $"{string.Join(", ", Options.TargetModules)}. Use the adapter's own settings.");
        }

        PeftAdapterFolder.ReadWeights(folder, Parameters);
    }

    /// <summary>Attaches the adapter saved in <paramref name="folder"/> (PEFT format) to <paramref name="model"/>, its base.</summary>
    public static LoraAdapters Load(LlamaForCausalLM model, string folder)
    {
        var options = PeftAdapterFolder.ReadOptions(folder);
        var lora = Attach(model, options, seed: 0);
        try
        {
            PeftAdapterFolder.ReadWeights(folder, lora.Parameters);
        }
        catch
        {
            lora.Remove();
            throw;
        }

        return lora;
    }

    /// <summary>
    /// W ← W + (α / r) · B A for every adapted projection (in fp32, rounded to W's dtype), then removes the adapters and
    /// unfreezes the base: the model is the merged model, ready to save as a plain Hugging Face folder.
    /// </summary>
    public void MergeAndRemove()
    {
        EnsureAttached();
        using (no_grad())
        {
            foreach (var (_, projection, adapter) in adapters)
            {
                using var scope = NewDisposeScope();
                var weight = projection.Weight;
                var merged = weight.to_type(ScalarType.Float32).add_(adapter.Delta().to(weight.device));
                weight.copy_(merged);
            }
        }

        Remove();
    }

    /// <summary>Removes the adapters without merging them and unfreezes the base weights.</summary>
    public void Remove()
    {
        if (removed)
        {
            return;
        }

        foreach (var (_, projection, adapter) in adapters)
        {
            projection.Detach();
            adapter.Dispose();
        }

        foreach (var parameter in model.parameters())
        {
            parameter.requires_grad = true;
        }

        model.SetLayerRandomness(false);
        model.Lora = null;
        removed = true;
    }

    public void Dispose() => Remove();

    private void EnsureAttached()
    {
        if (removed)
        {
            throw new InvalidOperationException("These LoRA adapters were merged or removed.");
        }
    }

    private static IEnumerable<(string Path, ProjectionWeight Projection)> Projections(LlamaForCausalLM model) =>
        model.named_modules().Where(m => m.module is ProjectionWeight).Select(m => (m.name, (ProjectionWeight)m.module));

    private static string LastPart(string path) => path[(path.LastIndexOf('.') + 1)..];

    private sealed class Reenable(LoraAdapters owner) : IDisposable
    {
        public void Dispose()
        {
            if (!owner.removed)
            {
                foreach (var (_, _, adapter) in owner.adapters)
                {
                    adapter.Enabled = true;
                }
            }
        }
    }
}
