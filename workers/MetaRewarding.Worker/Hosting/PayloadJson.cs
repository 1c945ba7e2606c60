using System.Text.Json;
using System.Text.Json.Serialization;
using Temporalio.Converters;

namespace MetaRewarding.Worker.Hosting;

/// <summary>
/// The data converter of every client, worker and replayer of this executable: the SDK's default (JSON payloads
/// the <c>temporal</c> CLI reads and writes) except that NaN and ±Infinity are written as the JSON strings
/// <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>. The contracts use NaN on purpose (<c>TrainingOutput.MeanLoss</c>
/// when there were no pairs, a training heartbeat before the first loss); the default converter throws on them,
/// which fails the activity's result or heartbeat and retries it forever.
/// </summary>
public static class PayloadJson
{
    public static JsonSerializerOptions SerializerOptions { get; } = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static DataConverter DataConverter { get; } = DataConverter.Default with { PayloadConverter = new DefaultPayloadConverter(SerializerOptions) };
}
