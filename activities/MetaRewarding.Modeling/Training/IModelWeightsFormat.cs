using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Training;

/// <summary>How a checkpoint stores the trained model's weights, and loads them into an existing model of the same shape.</summary>
public interface IModelWeightsFormat
{
    void Save(nn.Module model, string folder);

    void Load(nn.Module model, string folder);
}
