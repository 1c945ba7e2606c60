namespace MetaRewarding.Alignment.Tests.Elo;

/// <summary>Random battle matrices shaped like real ones: weights are sums of up to two ω-weighted wins, many pairs empty.</summary>
internal static class RandomBattles
{
    public static double[] Matrix(Random random, int n)
    {
        var wins = new double[n * n];
        var omega = 0.2 + (0.6 * random.NextDouble());
        for (var m = 0; m < n; m++)
        {
            for (var k = 0; k < n; k++)
            {
                if (m != k)
                {
                    wins[(m * n) + k] = (random.Next(2) * omega) + (random.Next(2) * (1 - omega));
                }
            }
        }

        return wins;
    }
}
