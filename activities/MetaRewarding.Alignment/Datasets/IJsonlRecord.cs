namespace MetaRewarding.Alignment.Datasets;

/// <summary>A dataset record that can say what is wrong with it beyond what JSON parsing checks (an empty id, say).</summary>
public interface IJsonlRecord
{
    /// <summary>Why the record is unusable, or null when it is fine.</summary>
    string? Problem();
}
