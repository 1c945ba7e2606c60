using MetaRewarding.Modeling.Engine;

namespace MetaRewarding.Serving;

/// <summary>The checkpoint a server answers for: its engine, the name clients ask for, and when it was loaded.</summary>
internal sealed record ServedModel(CheckpointEngine Engine, string Name, long Created)
{
    /// <summary>Positions the model attends over (prompt + completion).</summary>
    public int ContextLength => Engine.Model.Config.MaxPositionEmbeddings;

    /// <summary>The name for <paramref name="engine"/>: the given one, else its folder's full path (vLLM names a model by its path).</summary>
    public static string NameFor(CheckpointEngine engine, string? name) =>
        !string.IsNullOrWhiteSpace(name) ? name
        : engine.Folder is { } folder ? ServedModelNames.Default(folder)
        : throw new ArgumentException("a model made in memory has no folder to be named by; give the served model a name.");
}
