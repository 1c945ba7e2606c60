using MetaRewarding.Modeling.Training;

namespace MetaRewarding.Modeling.Tests.Training;

/// <summary>Small random token-id datasets of varied lengths (so batches need padding), reproducible from a seed.</summary>
internal static class TrainingData
{
    public static PreferenceExample[] Preferences(int count, int vocab = 32, int seed = 5)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => new PreferenceExample(
            Ids(random, random.Next(1, 5), vocab), Ids(random, random.Next(1, 7), vocab), Ids(random, random.Next(1, 7), vocab)))];
    }

    public static SftExample[] Sft(int count, int vocab = 32, int seed = 6)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => new SftExample(Ids(random, random.Next(1, 5), vocab), Ids(random, random.Next(1, 7), vocab)))];
    }

    private static int[] Ids(Random random, int length, int vocab) => [.. Enumerable.Range(0, length).Select(_ => random.Next(vocab))];
}
