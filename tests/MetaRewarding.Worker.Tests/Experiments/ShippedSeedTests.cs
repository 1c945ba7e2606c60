using System.Text.Json;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Sources;
using MetaRewarding.TestSupport;
using MetaRewarding.Worker.Cli;
using MetaRewarding.Worker.Experiments;

namespace MetaRewarding.Worker.Tests.Experiments;

public sealed class ShippedSeedTests : IDisposable
{
    private static readonly string ShippedFolder = RepositoryPaths.Of("workers/MetaRewarding.Worker/seeds/route");

    // A seed SFT of three batches: its fingerprint takes milliseconds, the demo's about a second.
    private static readonly SandboxOptions Tiny = new() { TaskFamily = "route", SftSteps = 3, SftBatchSize = 4 };

    private readonly string _root = Directory.CreateTempSubdirectory("shipped-seed-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void TheShippedSeed_FitsTheDemoRunFile()
    {
        // Fails when the seed's data, model or schedule changed without a new seed being shipped; the message gives
        // the values a newly trained seed's seed-recipe.json needs (docs/SANDBOX.md, "Running it").
        var file = DemoCommand.DemoRunFile(_root);
        var recipe = ShippedSeed.ReadRecipe(ShippedFolder);
        var expected = SandboxSeedRecipe.Fingerprint(file.Sandbox!, file.Configuration.Seed);
        var weights = ShippedSeed.Sha256(Path.Combine(ShippedFolder, ShippedSeed.WeightsFileName));
        Assert.True(
            recipe.Fingerprint == expected && recipe.WeightsSha256 == weights,
            $"seeds/route/seed-recipe.json says fingerprint {recipe.Fingerprint}, weights {recipe.WeightsSha256}; this build makes fingerprint {expected}, the shipped weights hash to {weights}. Train a new seed (metarewarding demo --train-seed), copy its runs/<id>/seed/model/ here and write these two values.");
    }

    [Fact]
    public void TheShippedSeed_IsAModelOfTheDemosShape()
    {
        var sandbox = DemoCommand.DemoRunFile(_root).Sandbox!;
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(ShippedFolder, "config.json")));
        Assert.Equal(sandbox.HiddenSize, config.RootElement.GetProperty("hidden_size").GetInt32());
        Assert.Equal(sandbox.Layers, config.RootElement.GetProperty("num_hidden_layers").GetInt32());
    }

    [Fact]
    public void Install_AFittingSeed_IsCopiedIntoTheStoreAndUsed()
    {
        var shipped = ShipFakeSeed(Tiny, 1234);
        var store = Path.Combine(_root, "store");

        var folder = ShippedSeed.Install(shipped, Tiny, 1234, store, out var reason);

        Assert.NotNull(folder);
        Assert.StartsWith(Path.Combine(store, "seeds") + Path.DirectorySeparatorChar, folder, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(shipped, ShippedSeed.WeightsFileName)), File.ReadAllBytes(Path.Combine(folder, ShippedSeed.WeightsFileName)));
        Assert.Contains("shipped seed", reason, StringComparison.Ordinal);
        // Installing again reuses the copy.
        Assert.Equal(folder, ShippedSeed.Install(shipped, Tiny, 1234, store, out _));
    }

    [Fact]
    public void Install_ADifferentRecipeOrRunSeed_TrainsInstead()
    {
        var shipped = ShipFakeSeed(Tiny, 1234);
        var store = Path.Combine(_root, "store");

        Assert.Null(ShippedSeed.Install(shipped, Tiny with { SftSteps = 4 }, 1234, store, out var reason));
        Assert.Contains("was trained for recipe", reason, StringComparison.Ordinal);
        Assert.Null(ShippedSeed.Install(shipped, Tiny, 99, store, out _));
        Assert.False(Directory.Exists(Path.Combine(store, "seeds")));
    }

    [Fact]
    public void Install_TamperedWeights_AreRefused()
    {
        var shipped = ShipFakeSeed(Tiny, 1234);
        File.WriteAllBytes(Path.Combine(shipped, ShippedSeed.WeightsFileName), [9, 9, 9]);

        Assert.Null(ShippedSeed.Install(shipped, Tiny, 1234, Path.Combine(_root, "store"), out var reason));
        Assert.Contains("does not match the SHA-256", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_AnUnreadableRecipe_TrainsInsteadAndSaysWhy()
    {
        var shipped = ShipFakeSeed(Tiny, 1234);
        foreach (var text in new[] { "{ not json", "{}", "null" })
        {
            File.WriteAllText(Path.Combine(shipped, ShippedSeed.RecipeFileName), text);

            Assert.Null(ShippedSeed.Install(shipped, Tiny, 1234, Path.Combine(_root, "store"), out var reason));
            Assert.Contains("cannot be read", reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Install_NoShippedSeed_SaysSo()
    {
        Assert.Null(ShippedSeed.Install(Path.Combine(_root, "none"), Tiny, 1234, Path.Combine(_root, "store"), out var reason));
        Assert.Contains("no shipped seed", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedSeedFor_PrintsWhichSeedTheDemoStartsFrom()
    {
        var file = DemoCommand.DemoRunFile(_root);
        using var stdout = new StringWriter();

        var folder = DemoCommand.ShippedSeedFor(file, Path.Combine(_root, "store"), Path.Combine(_root, "none"), stdout);

        Assert.Null(folder);
        Assert.StartsWith("Seed model: trained here (no shipped seed", stdout.ToString(), StringComparison.Ordinal);
    }

    // A test double of a shipped seed: a few bytes stand for the weights (Install only hashes and copies them).
    private string ShipFakeSeed(SandboxOptions sandbox, long runSeed)
    {
        var folder = Path.Combine(_root, "shipped");
        Directory.CreateDirectory(folder);
        var weights = Path.Combine(folder, ShippedSeed.WeightsFileName);
        File.WriteAllBytes(weights, [1, 2, 3, 4]);
        File.WriteAllText(Path.Combine(folder, "config.json"), "{}");
        var recipe = new ShippedSeed.SeedRecipeFile(SandboxSeedRecipe.Fingerprint(sandbox, runSeed), ShippedSeed.Sha256(weights), "a test");
        ShippedSeed.WriteRecipe(folder, recipe);
        return folder;
    }
}
