using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Run;

namespace MetaRewarding.Activities.Reports;

/// <summary>
/// WriteReport: <c>runs/{id}/report.json</c> and <c>runs/{id}/plots/*.png</c> from the seed evaluation and the
/// iterations so far. The output is a function of the input alone (no timestamps), so a retry rewrites the same
/// bytes; a report whose content is already on file is not rewritten.
/// </summary>
public static class RunReportWriter
{
    public const string FileName = "report.json";

    public static async Task<ArtifactRef> WriteAsync(ArtifactStore store, ReportInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(input);
        var run = RunSnapshotFile.Read(store, input.Run);
        // Only named in the report, not loaded: a manifest check spares re-hashing a multi-GB checkpoint per report.
        var seedModel = store.TryGetFolder(ArtifactStore.RunPath(input.RunId, "seed", "model"), ArtifactCheck.ManifestOnly);
        var report = RunReportBuilder.Build(input, run.Configuration.LengthUnit, seedModel, iteration =>
            store.TryGetFile(ArtifactStore.RunPath(input.RunId, $"iteration-{iteration}", PairTruth.FileName)) is { } file
                ? System.Text.Json.JsonSerializer.Deserialize<PairTruth>(File.ReadAllText(store.Resolve(file)), ArtifactJson.Options)
                : null);

        // Plots first, report last: a complete report.json means its plots were written.
        foreach (var (fileName, png) in ReportPlots.Render(report))
        {
            var path = ArtifactStore.RunPath(input.RunId, "plots", fileName);
            if (store.TryGetFile(path) is not { } existing || !SameBytes(store, existing, png))
            {
                await store.WriteFileAsync(path, (stream, token) => stream.WriteAsync(png, token).AsTask(), ct);
            }
        }

        var reportPath = ArtifactStore.RunPath(input.RunId, FileName);
        var json = RunReportJson.Serialize(report);
        if (store.TryGetFile(reportPath) is { } current && string.Equals(await store.ReadAllTextAsync(current, ct), json, StringComparison.Ordinal))
        {
            return current;
        }

        return await store.WriteTextAsync(reportPath, json, ct);
    }

    private static bool SameBytes(ArtifactStore store, ArtifactRef existing, byte[] png) =>
        existing.Bytes == png.Length && File.ReadAllBytes(store.Resolve(existing)).AsSpan().SequenceEqual(png);
}
