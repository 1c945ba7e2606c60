using System.Text.Json;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Sources;
using MetaRewarding.Modeling.Training;

namespace MetaRewarding.Worker.Experiments;

/// <summary>
/// The demo's seed model, trained once by <c>metarewarding demo --train-seed</c> and shipped beside the executable
/// (<c>seeds/route/</c>), as a real run starts from downloaded weights: the demo then spends its minutes on the
/// method, not on the seed SFT (docs/SANDBOX.md, "Running it"). Its <c>seed-recipe.json</c> records the
/// <see cref="SandboxSeedRecipe"/> fingerprint it was trained under and the SHA-256 of its weights; the demo uses it
/// only when both still hold for this build and run file, and otherwise trains the seed and says why.
/// </summary>
internal static class ShippedSeed
{
    public const string RecipeFileName = "seed-recipe.json";
    public const string WeightsFileName = "model.safetensors";

    /// <summary>Where the build puts the shipped seed: next to the executable.</summary>
    public static string DefaultFolder => Path.Combine(AppContext.BaseDirectory, "seeds", "route");

    /// <summary>
    /// The folder to start the demo's runs from: the shipped seed copied into <paramref name="store"/>'s
    /// <c>seeds/{fingerprint}</c> (so a run never depends on the build folder), or null when it does not fit
    /// <paramref name="sandbox"/> under <paramref name="runSeed"/>, with the reason in <paramref name="reason"/>.
    /// </summary>
    public static string? Install(string shippedFolder, SandboxOptions sandbox, long runSeed, string store, out string reason)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        var recipeFile = Path.Combine(shippedFolder, RecipeFileName);
        if (!File.Exists(recipeFile))
        {
            reason = $"no shipped seed at {shippedFolder} (a build without seeds/route)";
            return null;
        }

        SeedRecipeFile recipe;
        try
        {
            recipe = ReadRecipe(shippedFolder);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            reason = $"{recipeFile} cannot be read ({e.Message})";
            return null;
        }

        var expected = SandboxSeedRecipe.Fingerprint(sandbox, runSeed);
        if (!string.Equals(recipe.Fingerprint, expected, StringComparison.Ordinal))
        {
            reason = $"the shipped seed was trained for recipe {Short(recipe.Fingerprint)}, this build and run file make {Short(expected)} " +
                "(the seed's data, model or schedule changed); to ship a new one, see docs/SANDBOX.md \"Running it\"";
            return null;
        }

        var weights = Path.Combine(shippedFolder, WeightsFileName);
        if (!File.Exists(weights) || !string.Equals(Sha256(weights), recipe.WeightsSha256, StringComparison.Ordinal))
        {
            reason = $"{weights} is missing or does not match the SHA-256 in {RecipeFileName}";
            return null;
        }

        var artifacts = new ArtifactStore(store);
        var relative = $"seeds/{Short(expected)}";
        var installed = artifacts.FullPath(relative);
        var installedWeights = Path.Combine(installed, WeightsFileName);
        if (!File.Exists(installedWeights) || !string.Equals(Sha256(installedWeights), recipe.WeightsSha256, StringComparison.Ordinal))
        {
            // The store's atomic folder write (temp folder, fresh manifest, rename): an interrupted copy never looks like a seed.
            artifacts.WriteFolder(relative, temp =>
            {
                foreach (var file in Directory.GetFiles(shippedFolder).Where(f => Path.GetFileName(f) != HashManifest.FileName))
                {
                    File.Copy(file, Path.Combine(temp, Path.GetFileName(file)));
                }
            });
        }

        reason = $"the shipped seed (recipe {Short(expected)}, {recipe.TrainedBy})";
        return installed;
    }

    /// <summary>The <c>seed-recipe.json</c> of <paramref name="folder"/>.</summary>
    public static SeedRecipeFile ReadRecipe(string folder)
    {
        var file = Path.Combine(folder, RecipeFileName);
        var recipe = JsonSerializer.Deserialize<SeedRecipeFile>(File.ReadAllText(file), JsonOptions);
        return recipe is { Fingerprint.Length: > 0, WeightsSha256.Length: > 0 }
            ? recipe
            : throw new InvalidDataException($"{file} needs a fingerprint and a weightsSha256");
    }

    /// <summary>Writes <paramref name="recipe"/> as <paramref name="folder"/>'s <c>seed-recipe.json</c>.</summary>
    public static void WriteRecipe(string folder, SeedRecipeFile recipe) =>
        File.WriteAllText(Path.Combine(folder, RecipeFileName), JsonSerializer.Serialize(recipe, JsonOptions) + "\n");

    public static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] : fingerprint;

    /// <summary>Lower-case hex SHA-256 of <paramref name="file"/> (an absolute path), as the artifact store hashes files.</summary>
    public static string Sha256(string file) => ArtifactStore.DescribeExternal(file).Sha256;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The shipped seed's <c>seed-recipe.json</c>.</summary>
    /// <param name="Fingerprint">The <see cref="SandboxSeedRecipe"/> fingerprint it was trained under.</param>
    /// <param name="WeightsSha256">SHA-256 of its <c>model.safetensors</c>.</param>
    /// <param name="TrainedBy">How and where it was trained (command, commit, machine, minutes).</param>
    internal sealed record SeedRecipeFile(string Fingerprint, string WeightsSha256, string TrainedBy);
}
