using MetaRewarding.Activities.Contracts;
using MetaRewarding.Worker.Hosting;
using Temporalio.Converters;

namespace MetaRewarding.Worker.Tests.Hosting;

/// <summary>The payload converter carries the NaN the contracts use (found by a real sandbox run: the seed heartbeat).</summary>
public sealed class PayloadJsonTests
{
    private static readonly TrainingOutput NoPairs = new(new ArtifactRef("runs/r/iteration-1/model", new string('a', 64), 10), 0, 0, double.NaN, 0, 0);

    [Fact]
    public void DataConverter_TrainingOutputWithNaNLoss_RoundTrips()
    {
        var converter = PayloadJson.DataConverter.PayloadConverter;

        var back = converter.ToValue<TrainingOutput>(converter.ToPayload(NoPairs));

        Assert.True(double.IsNaN(back.MeanLoss));
        Assert.Equal(NoPairs.Model, back.Model);
    }

    [Fact]
    public void DefaultDataConverter_TrainingOutputWithNaNLoss_Throws()
    {
        // Why the worker does not use the SDK's default: it cannot write the contract's NaN.
        Assert.Throws<ArgumentException>(() => DataConverter.Default.PayloadConverter.ToPayload(NoPairs));
    }

    [Fact]
    public void DataConverter_FiniteValues_WriteTheSameJsonAsTheDefault()
    {
        // Payloads without NaN look exactly as the default writes them, so the temporal CLI and other SDKs read them.
        var finite = NoPairs with { MeanLoss = 0.25 };

        Assert.Equal(
            DataConverter.Default.PayloadConverter.ToPayload(finite).Data.ToStringUtf8(),
            PayloadJson.DataConverter.PayloadConverter.ToPayload(finite).Data.ToStringUtf8());
    }
}
