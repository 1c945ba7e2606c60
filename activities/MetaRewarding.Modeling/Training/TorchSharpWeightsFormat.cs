using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Training;

/// <summary>
/// Weights as TorchSharp's own state-dict file (<c>model.dat</c>): exact bits, any module. Used for resume when the
/// model has no Hugging Face layout of its own.
/// </summary>
public sealed class TorchSharpWeightsFormat : IModelWeightsFormat
{
    public const string FileName = "model.dat";

    public void Save(nn.Module model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.save(Path.Combine(folder, FileName));
    }

    public void Load(nn.Module model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new CheckpointCorruptException($"Checkpoint {folder} has no {FileName}; it was written with another weights format.");
        }

        model.load(path, strict: true);
    }
}
