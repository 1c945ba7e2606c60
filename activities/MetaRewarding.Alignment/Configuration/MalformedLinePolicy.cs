namespace MetaRewarding.Alignment.Configuration;

/// <summary>What a dataset reader does with a JSONL line that does not parse as its record type.</summary>
public enum MalformedLinePolicy
{
    /// <summary>Report the line (file and line number), count it in the metrics and go on.</summary>
    SkipAndCount = 0,

    /// <summary>Stop with an error naming the file and line number.</summary>
    Fatal = 1,
}
