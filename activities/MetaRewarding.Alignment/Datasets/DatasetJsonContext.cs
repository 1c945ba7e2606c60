using System.Text.Json.Serialization;

namespace MetaRewarding.Alignment.Datasets;

/// <summary>
/// Source-generated (reflection-free, fast) JSON for the dataset records: camelCase fields, enums as camelCase
/// strings, required fields and nullability enforced, unknown fields ignored so producers can add metadata.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PromptRecord))]
[JsonSerializable(typeof(ResponseRecord))]
[JsonSerializable(typeof(JudgmentRecord))]
[JsonSerializable(typeof(MetaJudgmentRecord))]
[JsonSerializable(typeof(MetaJudgmentVerdict))]
[JsonSerializable(typeof(PreferencePairRecord))]
public sealed partial class DatasetJsonContext : JsonSerializerContext;
