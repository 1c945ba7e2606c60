using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaRewarding.Alignment.Datasets;

/// <summary>Reads <see cref="MetaJudgmentVerdict"/> directly, parsing <c>text</c> into the verdict without making it a string.</summary>
public sealed class MetaJudgmentVerdictConverter : JsonConverter<MetaJudgmentVerdict>
{
    private static readonly VerdictFromTextConverter TextConverter = new();

    public override MetaJudgmentVerdict Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        FlatRecordReader.ExpectObject(ref reader, "MetaJudgmentRecord");
        string? id = null, promptId = null, responseId = null, judgmentA = null, judgmentB = null, finishReason = null;
        Parsing.VerdictParseResult? verdict = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                id = FlatRecordReader.ReadString(ref reader, "id");
            }
            else if (reader.ValueTextEquals("promptId"u8))
            {
                promptId = FlatRecordReader.ReadString(ref reader, "promptId");
            }
            else if (reader.ValueTextEquals("responseId"u8))
            {
                responseId = FlatRecordReader.ReadString(ref reader, "responseId");
            }
            else if (reader.ValueTextEquals("judgmentAId"u8))
            {
                judgmentA = FlatRecordReader.ReadString(ref reader, "judgmentAId");
            }
            else if (reader.ValueTextEquals("judgmentBId"u8))
            {
                judgmentB = FlatRecordReader.ReadString(ref reader, "judgmentBId");
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                verdict = TextConverter.Read(ref reader, typeof(Parsing.VerdictParseResult), options);
            }
            else if (reader.ValueTextEquals("finishReason"u8))
            {
                finishReason = FlatRecordReader.ReadOptionalString(ref reader, "finishReason");
            }
            else
            {
                FlatRecordReader.SkipValue(ref reader);
            }
        }

        return new MetaJudgmentVerdict
        {
            Id = FlatRecordReader.Required(id, "id"),
            PromptId = FlatRecordReader.Required(promptId, "promptId"),
            ResponseId = FlatRecordReader.Required(responseId, "responseId"),
            JudgmentAId = FlatRecordReader.Required(judgmentA, "judgmentAId"),
            JudgmentBId = FlatRecordReader.Required(judgmentB, "judgmentBId"),
            // The field may come before or after the text: a cut or skipped completion's verdict is decided here.
            Verdict = verdict is null
                ? throw new JsonException("missing required field 'text'")
                : Parsing.MetaJudgeVerdictParser.Unfinished(finishReason) ?? verdict.Value,
            FinishReason = finishReason,
        };
    }

    public override void Write(Utf8JsonWriter writer, MetaJudgmentVerdict value, JsonSerializerOptions options) =>
        throw new NotSupportedException("A parsed verdict is not written back; write the MetaJudgmentRecord with its text.");
}
