using MetaRewarding.Worker.Hosting;

namespace MetaRewarding.Worker.Tests.Hosting;

/// <summary>Worker:ModelActivitySlots: how many model activities a cpu worker runs at once (the demo uses 2).</summary>
public sealed class ModelActivitySlotsTests
{
    [Fact]
    public void Validate_SlotsBelowOne_NamesTheSetting()
    {
        var errors = new WorkerSettings { ModelActivitySlots = 0 }.Validate();

        var error = Assert.Single(errors);
        Assert.Contains("Worker:ModelActivitySlots", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu", 2, 2)]
    [InlineData("CPU", 3, 3)]
    [InlineData("cuda", 2, 1)]
    [InlineData("cuda:1", 4, 1)]
    public void EffectiveModelActivitySlots_ByDevice_CpuTakesTheSettingAcceleratorRunsOne(string device, int slots, int expected)
    {
        var settings = new WorkerSettings { Device = device, ModelActivitySlots = slots };

        Assert.Empty(settings.Validate());
        Assert.Equal(expected, settings.EffectiveModelActivitySlots);
    }

    [Fact]
    public void Build_SlotsGiven_DefaultOneAndBindToWorkerSettings()
    {
        Assert.Equal(1, new WorkerSettings().ModelActivitySlots);
        var configuration = MetaRewardingConfiguration.Build(new Dictionary<string, string?> { ["Worker:ModelActivitySlots"] = "2" });

        Assert.Equal(2, MetaRewardingConfiguration.Worker(configuration).ModelActivitySlots);
    }
}
