namespace MetaRewarding.Alignment.Datasets;

/// <summary>A record read from a JSONL file with its 1-based line number (for error messages).</summary>
public readonly record struct JsonlLine<T>(T Record, long LineNumber);
