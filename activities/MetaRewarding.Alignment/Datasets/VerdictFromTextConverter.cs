using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Alignment.Datasets;

/// <summary>
/// Reads a meta-judgment's <c>text</c> straight into its parsed verdict: the text is decoded into a pooled buffer
/// and never becomes a string, which is most of the cost of reading half a million meta-judgments per iteration.
/// Read-only: the full <see cref="MetaJudgmentRecord"/> is what gets written.
/// </summary>
public sealed class VerdictFromTextConverter : JsonConverter<VerdictParseResult>
{
    public override VerdictParseResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"'text' must be a string, got {reader.TokenType}");
        }

        // A UTF-8 JSON string never decodes to more UTF-16 chars than it has bytes.
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var written = reader.CopyString(buffer);
            return MetaJudgeVerdictParser.ParseText(buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    public override void Write(Utf8JsonWriter writer, VerdictParseResult value, JsonSerializerOptions options) =>
        throw new NotSupportedException("A parsed verdict is not written back; write the MetaJudgmentRecord with its text.");
}
