using System.Text.Json;

namespace MetaRewarding.Modeling.Training;

/// <summary>
/// Everything besides weights and optimizer moments that a resumed run needs to continue exactly where the
/// interrupted one stopped: the step (which fixes the learning rate), the data position and the torch RNG; and,
/// with checkpoint selection, the held-out loss measured at this checkpoint.
/// </summary>
public sealed record TrainerState(
    int Step,
    int TotalSteps,
    DataPosition Position,
    int ExampleCount,
    int BatchSize,
    string TorchRngStateBase64,
    double? HeldOutLoss = null)
{
    public const string FileName = "trainer_state.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public void Save(string folder) =>
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, JsonOptions));

    public static TrainerState Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), JsonOptions)
            ?? throw new CheckpointCorruptException($"{path} is empty.");
    }

    /// <summary>Throws when this checkpoint was made for another dataset size, batch size or shuffle seed.</summary>
    public void EnsureCompatible(int exampleCount, TrainingOptions options, string folder)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (ExampleCount != exampleCount || BatchSize != options.BatchSize || Position.ShuffleSeed != options.ShuffleSeed
            || TotalSteps != options.TotalSteps(exampleCount))
        {
            throw new InvalidOperationException(
                $"Checkpoint {folder} belongs to another run ({ExampleCount} examples, batch {BatchSize}, seed {Position.ShuffleSeed}, " +
                $"{TotalSteps} steps) than this one ({exampleCount} examples, batch {options.BatchSize}, seed {options.ShuffleSeed}, " +
                $"{options.TotalSteps(exampleCount)} steps). Use a new checkpoint folder, or the original settings.");
        }
    }
}
