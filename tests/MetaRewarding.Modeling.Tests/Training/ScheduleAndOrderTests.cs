using MetaRewarding.Modeling.Training;

namespace MetaRewarding.Modeling.Tests.Training;

public class ScheduleAndOrderTests
{
    [Fact]
    public void LearningRateAt_WarmupThenCosine_RisesLinearlyPeaksAndDecaysToFloor()
    {
        var schedule = new WarmupDecaySchedule(PeakLearningRate: 1.0, WarmupSteps: 4, TotalSteps: 14, MinRatio: 0.1);

        Assert.Equal([0.25, 0.5, 0.75, 1.0], Enumerable.Range(0, 4).Select(schedule.LearningRateAt));
        Assert.Equal(1.0, schedule.LearningRateAt(4), 12);
        Assert.Equal(0.1 + (0.9 * 0.5), schedule.LearningRateAt(9), 12); // halfway through the decay: cos = 0
        Assert.Equal(0.1, schedule.LearningRateAt(14), 12);
        Assert.Equal(0.1, schedule.LearningRateAt(100), 12);
    }

    [Fact]
    public void LearningRateAt_WarmupThenLinear_FallsInAStraightLineToFloor()
    {
        // transformers' get_linear_schedule_with_warmup after warm-up: peak × (total − step) / (total − warmup).
        var schedule = new WarmupDecaySchedule(PeakLearningRate: 2.0, WarmupSteps: 2, TotalSteps: 12, MinRatio: 0, Shape: DecayShape.Linear);

        Assert.Equal([1.0, 2.0], Enumerable.Range(0, 2).Select(schedule.LearningRateAt));
        Assert.Equal(2.0 * 0.7, schedule.LearningRateAt(5), 12);
        Assert.Equal(2.0 * 0.1, schedule.LearningRateAt(11), 12);
        Assert.Equal(0.0, schedule.LearningRateAt(12), 12);
    }

    [Fact]
    public void Permutation_SameSeedAndEpoch_IsReproducibleAndDiffersAcrossEpochs()
    {
        var first = EpochOrder.Permutation(50, shuffleSeed: 9, epoch: 0);

        Assert.Equal(first, EpochOrder.Permutation(50, 9, 0));
        Assert.Equal(Enumerable.Range(0, 50), first.Order());
        Assert.NotEqual(first, EpochOrder.Permutation(50, 9, 1));
        Assert.NotEqual(first, EpochOrder.Permutation(50, 10, 0));
    }

    [Fact]
    public void TotalSteps_ShortLastBatch_CountsIt()
    {
        Assert.Equal(6, new TrainingOptions { BatchSize = 4, Epochs = 2 }.TotalSteps(10));
    }

    [Theory]
    [InlineData(nameof(TrainingOptions.MicroBatchSize))]
    [InlineData(nameof(TrainingOptions.LearningRate))]
    [InlineData(nameof(TrainingOptions.Beta2))]
    public void Validate_InvalidSetting_NamesIt(string setting)
    {
        var options = setting switch
        {
            nameof(TrainingOptions.MicroBatchSize) => new TrainingOptions { BatchSize = 4, MicroBatchSize = 8 },
            nameof(TrainingOptions.LearningRate) => new TrainingOptions { LearningRate = -1 },
            _ => new TrainingOptions { Beta2 = 1.0 },
        };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }
}
