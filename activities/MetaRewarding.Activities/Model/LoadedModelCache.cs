using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Modeling.Engine;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Tokenization;
using static TorchSharp.torch;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// The last loaded checkpoint of this worker, keyed by its artifact hash: the shards of one step all sample from
/// M_t, so only the first of them pays for loading it. One per worker process (register it as a singleton).
/// Thread-safe: a model is used by one caller at a time (<see cref="Use{T}"/> holds the lock while it runs), which
/// also keeps two activities from sharing one accelerator if a worker is misconfigured to run more than one.
/// </summary>
public sealed class LoadedModelCache : IDisposable
{
    private readonly Lock gate = new();
    private LoadedModel? current;
    private int loads;

    public LoadedModelCache(ModelActivitiesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TorchRuntime.Initialize();
        Device = TorchSharp.torch.device(options.Device);
        Dtype = ComputeDtypes.Parse(options.ComputeDtype);
    }

    public Device Device { get; }

    public ScalarType Dtype { get; }

    /// <summary>Loads made so far (a test sees shards share one).</summary>
    public int Loads => Volatile.Read(ref loads);

    /// <summary>Runs <paramref name="use"/> with the checkpoint <paramref name="model"/>, loading it unless it is the cached one.</summary>
    public T Use<T>(ArtifactStore store, ArtifactRef model, Func<LoadedModel, T> use)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(use);
        lock (gate)
        {
            if (current?.Sha256 != model.Sha256)
            {
                // Manifest-only: the manifest's own hash is checked, and the weights' hashes were checked when the
                // folder was written; re-reading many GB per shard would cost more than the shard.
                var folder = store.Resolve(model, ArtifactCheck.ManifestOnly);
                Replace(Load(model.Sha256, folder));
            }

            return use(current!);
        }
    }

    /// <summary>Makes <paramref name="model"/> (e.g. just trained and saved) the cached one.</summary>
    public void Put(LoadedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (gate)
        {
            Replace(model);
        }
    }

    /// <summary>Loads a checkpoint folder outside the cache (training needs its own copy to change).</summary>
    public LoadedModel Load(string sha256, string folder)
    {
        var tokenizer = TokenizerLoader.FromModelFolder(folder);
        var chat = ChatTemplates.FromModelFolder(folder, tokenizer);
        var llama = LlamaForCausalLM.FromPretrained(folder, Dtype, Device);
        Interlocked.Increment(ref loads);
        return new LoadedModel(sha256, folder, llama, chat);
    }

    public void Dispose()
    {
        lock (gate)
        {
            current?.Dispose();
            current = null;
        }
    }

    private void Replace(LoadedModel model)
    {
        if (!ReferenceEquals(current, model))
        {
            current?.Dispose();
        }

        current = model;
    }
}
