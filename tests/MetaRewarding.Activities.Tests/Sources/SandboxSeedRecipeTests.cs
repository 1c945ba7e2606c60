using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Sources;

namespace MetaRewarding.Activities.Tests.Sources;

/// <summary>The seed recipe's fingerprint: the same for the same training inputs, different when any of them changes.</summary>
public class SandboxSeedRecipeTests
{
    private static readonly SandboxOptions Tiny = new() { TaskFamily = "route", SftSteps = 3, SftBatchSize = 4 };

    [Fact]
    public void Fingerprint_SameInputs_SameFingerprint()
    {
        Assert.Equal(SandboxSeedRecipe.Fingerprint(Tiny, 1234), SandboxSeedRecipe.Fingerprint(Tiny with { }, 1234));
        Assert.Matches("^[0-9a-f]{64}$", SandboxSeedRecipe.Fingerprint(Tiny, 1234));
    }

    [Fact]
    public void Fingerprint_AnythingThatShapesTheWeights_ChangesIt()
    {
        var baseline = SandboxSeedRecipe.Fingerprint(Tiny, 1234);
        SandboxOptions[] changed =
        [
            Tiny with { SftSteps = 4 }, Tiny with { SftBatchSize = 5 }, Tiny with { SftLearningRate = 1e-3 },
            Tiny with { TaskFamily = "constraint" }, Tiny with { HiddenSize = 64 }, Tiny with { Layers = 2 },
        ];

        Assert.All(changed, c => Assert.NotEqual(baseline, SandboxSeedRecipe.Fingerprint(c, 1234)));
        Assert.NotEqual(baseline, SandboxSeedRecipe.Fingerprint(Tiny, 1235));
    }

    [Fact]
    public void Fingerprint_EvaluationOptions_LeaveItAlone()
    {
        // The evaluation is measured on the seed, not trained into it: changing it keeps a shipped seed usable.
        Assert.Equal(
            SandboxSeedRecipe.Fingerprint(Tiny, 1234),
            SandboxSeedRecipe.Fingerprint(Tiny with { EvaluationPrompts = 77, EvaluationSamples = 2 }, 1234));
    }
}
