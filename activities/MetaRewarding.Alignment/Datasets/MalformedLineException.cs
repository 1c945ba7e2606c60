namespace MetaRewarding.Alignment.Datasets;

/// <summary>A JSONL line that cannot be used, under the <c>fatal</c> policy (or a data error no policy can skip).</summary>
public sealed class MalformedLineException : Exception
{
    public MalformedLineException(string file, long lineNumber, string reason)
        : base($"{file}:{lineNumber}: {reason}")
    {
        File = file;
        LineNumber = lineNumber;
        Reason = reason;
    }

    public MalformedLineException()
        : this("?", 0, "malformed line")
    {
    }

    public MalformedLineException(string message)
        : this("?", 0, message)
    {
    }

    public MalformedLineException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "?";
        Reason = message;
    }

    /// <summary>The file.</summary>
    public string File { get; }

    /// <summary>The 1-based line number.</summary>
    public long LineNumber { get; }

    /// <summary>What is wrong with the line.</summary>
    public string Reason { get; }
}
