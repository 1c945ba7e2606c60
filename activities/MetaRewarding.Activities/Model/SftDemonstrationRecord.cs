using System.Text.Json.Serialization;
using MetaRewarding.Alignment.Datasets;

namespace MetaRewarding.Activities.Model;

/// <summary>A line of a real run's seed-SFT dataset (<c>seedSft.dataset</c>): one demonstration.</summary>
public sealed record SftDemonstrationRecord : IJsonlRecord
{
    /// <summary>The user turn (rendered with the model's chat template).</summary>
    public required string Prompt { get; init; }

    /// <summary>The assistant reply the loss is on.</summary>
    public required string Completion { get; init; }

    public string? Problem() => string.IsNullOrEmpty(Completion) ? "field 'completion' is empty" : null;
}

/// <summary>Source-generated JSON for the model activities' own records.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SftDemonstrationRecord))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
