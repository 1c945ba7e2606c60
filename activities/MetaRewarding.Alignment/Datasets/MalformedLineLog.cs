using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Alignment.Datasets;

/// <summary>
/// Where readers report unusable lines: under <see cref="MalformedLinePolicy.Fatal"/> the first one throws a
/// <see cref="MalformedLineException"/>; under <see cref="MalformedLinePolicy.SkipAndCount"/> each is counted and
/// the first <see cref="MaxKeptMessages"/> messages are kept for the report. Never silent.
/// </summary>
public sealed class MalformedLineLog(MalformedLinePolicy policy)
{
    /// <summary>Messages kept for the report; the count goes on beyond them.</summary>
    public const int MaxKeptMessages = 100;

    private readonly List<string> _messages = [];

    /// <summary>The policy in force.</summary>
    public MalformedLinePolicy Policy { get; } = policy;

    /// <summary>Lines skipped so far.</summary>
    public long Count { get; private set; }

    /// <summary>The first messages, each <c>file:line: reason</c>.</summary>
    public IReadOnlyList<string> Messages => _messages;

    /// <summary>Reports one unusable line: throws under the fatal policy, counts it otherwise.</summary>
    public void Report(string file, long lineNumber, string reason)
    {
        if (Policy == MalformedLinePolicy.Fatal)
        {
            throw new MalformedLineException(file, lineNumber, reason);
        }

        Count++;
        if (_messages.Count < MaxKeptMessages)
        {
            _messages.Add($"{file}:{lineNumber}: {reason}");
        }
    }
}
