using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaRewarding.Alignment.Datasets;

/// <summary>Reads and writes <see cref="JudgmentRecord"/> directly (see <see cref="FlatRecordReader"/> for why).</summary>
public sealed class JudgmentRecordConverter : JsonConverter<JudgmentRecord>
{
    public override JudgmentRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        FlatRecordReader.ExpectObject(ref reader, nameof(JudgmentRecord));
        string? id = null, promptId = null, responseId = null, text = null, finishReason = null;
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
            else if (reader.ValueTextEquals("text"u8))
            {
                text = FlatRecordReader.ReadString(ref reader, "text");
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

        return new JudgmentRecord
        {
            Id = FlatRecordReader.Required(id, "id"),
            PromptId = FlatRecordReader.Required(promptId, "promptId"),
            ResponseId = FlatRecordReader.Required(responseId, "responseId"),
            Text = FlatRecordReader.Required(text, "text"),
            FinishReason = finishReason,
        };
    }

    public override void Write(Utf8JsonWriter writer, JudgmentRecord value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("id"u8, value.Id);
        writer.WriteString("promptId"u8, value.PromptId);
        writer.WriteString("responseId"u8, value.ResponseId);
        writer.WriteString("text"u8, value.Text);
        if (value.FinishReason is { } finishReason)
        {
            writer.WriteString("finishReason"u8, finishReason);
        }

        writer.WriteEndObject();
    }
}
