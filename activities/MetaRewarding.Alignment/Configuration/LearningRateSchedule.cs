namespace MetaRewarding.Alignment.Configuration;

/// <summary>How the learning rate evolves after warm-up.</summary>
public enum LearningRateSchedule
{
    /// <summary>Cosine decay from the peak to zero over the training steps (the paper's choice).</summary>
    Cosine = 0,

    /// <summary>Linear decay from the peak to zero.</summary>
    Linear = 1,

    /// <summary>The peak learning rate throughout.</summary>
    Constant = 2,
}
