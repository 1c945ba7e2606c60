namespace MetaRewarding.Modeling.Checkpoints;

/// <summary>One tensor's header record: dtype name, shape and byte range relative to the end of the header.</summary>
public sealed record SafetensorsEntry(string Name, string Dtype, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}
