namespace MetaRewarding.Modeling.Training;

/// <summary>Where the next batch starts: the epoch, the offset into that epoch's shuffled order, and the shuffle seed.</summary>
public sealed record DataPosition(int Epoch, int Index, int ShuffleSeed);
