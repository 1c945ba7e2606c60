using System.Text;

namespace MetaRewarding.Tokenization;

/// <summary>
/// The tiktoken rank file format (Llama 3's <c>tokenizer.model</c>, OpenAI's <c>*.tiktoken</c>):
/// one "base64(token bytes) rank" per line, where the rank is also the token id.
/// </summary>
public static class TiktokenRankFile
{
    /// <summary>
    /// Reads every rank; throws naming <paramref name="source"/> and the line on malformed input.
    /// Also reads the variant of the Microsoft.ML.Tokenizers.Data packages: an optional
    /// "Capacity: N" first line, and tokens without ranks, whose rank is then their line number.
    /// </summary>
    public static Dictionary<int, byte[]> Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytesByRank = new Dictionary<int, byte[]>(capacity: 1 << 17);
        using var reader = new StreamReader(stream, Encoding.ASCII, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var lineNumber = 0;
        var implicitRank = -1;
        bool? ranksByLine = null;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (lineNumber == 1 && line.StartsWith("Capacity: ", StringComparison.Ordinal))
            {
                continue;
            }

            if (ranksByLine is null && line.Length == 0)
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            ranksByLine ??= space < 0;
            implicitRank++;
            if (line.Length == 0)
            {
                continue;
            }

            int rank;
            string base64;
            if (ranksByLine.Value)
            {
                rank = implicitRank;
                base64 = line;
            }
            else if (space > 0 && int.TryParse(line.AsSpan(space + 1), out rank) && rank >= 0)
            {
                base64 = line[..space];
            }
            else
            {
                throw new InvalidDataException(
                    $"{source}, line {lineNumber}: expected \"<base64 token> <rank>\" (tiktoken format), found \"{Truncate(line)}\". A SentencePiece tokenizer.model (Llama 2) is not a tiktoken file.");
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(base64);
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: the token is not valid base64 ({e.Message}).", e);
            }

            if (!bytesByRank.TryAdd(rank, bytes))
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: rank {rank} appears twice.");
            }
        }

        if (bytesByRank.Count == 0)
        {
            throw new InvalidDataException($"{source} holds no ranks.");
        }

        return bytesByRank;
    }

    /// <summary>True when the first non-empty line of <paramref name="path"/> looks like tiktoken ("base64 integer").</summary>
    public static bool LooksLikeTiktoken(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[512];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var text = Encoding.ASCII.GetString(head, 0, read);
        var firstLine = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (firstLine is null)
        {
            return false;
        }

        var space = firstLine.IndexOf(' ', StringComparison.Ordinal);
        return space > 0
            && firstLine[..space].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=')
            && firstLine[(space + 1)..].TrimEnd('\r').All(char.IsAsciiDigit);
    }

    /// <summary>Writes ranks in tiktoken format (the input Microsoft.ML.Tokenizers' TiktokenTokenizer reads).</summary>
    public static MemoryStream Write(IReadOnlyDictionary<int, byte[]> bytesByRank)
    {
        ArgumentNullException.ThrowIfNull(bytesByRank);
        var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true))
        {
            writer.NewLine = "\n";
            foreach (var (rank, bytes) in bytesByRank.OrderBy(p => p.Key))
            {
                writer.Write(Convert.ToBase64String(bytes));
                writer.Write(' ');
                writer.WriteLine(rank);
            }
        }

        stream.Position = 0;
        return stream;
    }

    private static string Truncate(string line) => line.Length <= 60 ? line : line[..60] + "...";
}
