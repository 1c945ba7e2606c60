using System.Text.Json;
using System.Text.Json.Serialization;
using Temporalio.Converters;

namespace MetaRewarding.Activities.Contracts;

/// <summary>
/// Temporal's default payload converter, but with NaN and ±Infinity allowed in JSON (as the strings "NaN",
/// "Infinity"). Payloads of this project carry rates that are NaN by definition when their denominator is zero
/// (<c>IterationMetrics.MetaJudgeHigherScoreRate</c> of an iteration without battles, <c>TrainingOutput.MeanLoss</c>
/// without pairs), which the default converter refuses to serialise, failing the activity after its work is done.
/// The client, every worker and the replayer must all use <see cref="DataConverter"/>.
/// </summary>
public sealed class RunPayloadConverter : DefaultPayloadConverter
{
    public RunPayloadConverter()
        : base(new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals })
    {
    }

    /// <summary>Temporal's default data converter with this payload converter.</summary>
    public static DataConverter DataConverter { get; } = DataConverter.Default with { PayloadConverter = new RunPayloadConverter() };
}
