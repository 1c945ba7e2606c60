using MetaRewarding.Activities.Contracts;
using MetaRewarding.Worker.Cli;
using MetaRewarding.Worker.Hosting;
using Temporalio.Converters;

namespace MetaRewarding.Worker.Tests.Hosting;

/// <summary>
/// Every client, worker and replayer of the executable carries the NaN the contracts use (found by a real sandbox
/// run: with the SDK's default converter the seed SFT's first heartbeat, loss NaN, failed and retried forever).
/// </summary>
public sealed class PayloadJsonTests
{
    private static readonly TrainingOutput NoPairs = new(new ArtifactRef("runs/r/iteration-1/model", new string('a', 64), 10), 0, 0, double.NaN, 0, 0);

    [Fact]
    public void ClientOptions_TrainingOutputWithNaNLoss_RoundTrips()
    {
        var converter = TemporalClientFactory.Options("127.0.0.1:7233", new TemporalSettings()).DataConverter.PayloadConverter;

        var back = converter.ToValue<TrainingOutput>(converter.ToPayload(NoPairs));

        Assert.True(double.IsNaN(back.MeanLoss));
        Assert.Equal(NoPairs.Model, back.Model);
    }

    [Fact]
    public void Replayer_UsesTheSameConverterAsTheClients()
    {
        Assert.Same(RunPayloadConverter.DataConverter, ReplayCommand.CurrentWorkflows().DataConverter);
    }

    [Fact]
    public void DefaultDataConverter_TrainingOutputWithNaNLoss_Throws()
    {
        // Why the executable does not use the SDK's default: it cannot write the contract's NaN.
        Assert.Throws<ArgumentException>(() => DataConverter.Default.PayloadConverter.ToPayload(NoPairs));
    }
}
