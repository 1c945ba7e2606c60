using System.Text.Json;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Reports;

namespace MetaRewarding.Worker.Experiments;

/// <summary>Writes <c>{out}/experiments/{id}/experiment.json</c>, its table (<c>experiment.txt</c>) and plots; returns the JSON's path.</summary>
public static class ExperimentReportWriter
{
    public static string Write(ExperimentReport report, string storeRoot)
    {
        ArgumentNullException.ThrowIfNull(report);
        var folder = Path.Combine(Path.GetFullPath(storeRoot), "experiments", report.Id);
        Directory.CreateDirectory(folder);
        foreach (var (fileName, png) in ExperimentPlots.Render(report))
        {
            File.WriteAllBytes(Path.Combine(folder, fileName), png);
        }

        File.WriteAllText(Path.Combine(folder, "experiment.txt"), ExperimentTable.Render(report));
        var path = Path.Combine(folder, "experiment.json");
        File.WriteAllText(path, JsonSerializer.Serialize(report, ArtifactJson.Options) + "\n");
        return path;
    }

    /// <summary>
    /// A run's <c>report.json</c> from the store (rewritten after every iteration, so a run still going, or stopped,
    /// has the iterations it finished), or null when it has none.
    /// </summary>
    public static RunReport? ReadRunReport(ArmResult result, string storeRoot)
    {
        ArgumentNullException.ThrowIfNull(result);
        var path = new ArtifactStore(storeRoot).FullPath(result.Summary?.Report.Path ?? ArtifactStore.RunPath(result.Run.RunId, RunReportWriter.FileName));
        return File.Exists(path) ? RunReportJson.Read(path) : null;
    }
}
