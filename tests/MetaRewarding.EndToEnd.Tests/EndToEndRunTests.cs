using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Reports;
using MetaRewarding.EndToEnd.Tests.Support;
using MetaRewarding.TestSupport;
using MetaRewarding.Workflows;
using Xunit.Abstractions;

namespace MetaRewarding.EndToEnd.Tests;

/// <summary>
/// A whole sandbox run (seed SFT, two iterations with the judge trained in the first) by the real worker
/// composition against the in-process Temporal server: what the run leaves behind and what it showed meanwhile.
/// </summary>
[Collection(ReferenceRunGroup.Name)]
public sealed class EndToEndRunTests(ReferenceRunFixture run, ITestOutputHelper output)
{
    [Fact]
    public void Run_TinySandbox_ReportHasEveryIterationWithItsFigures()
    {
        var report = RunReportJson.Read(run.Store.FullPath(run.Observation.Summary.Report.Path));
        output.WriteLine($"reference run took {run.Duration.TotalSeconds:F0} s");
        output.WriteLine(ReportTable.Render(report));
        output.WriteLine(File.ReadAllText(run.Store.FullPath(run.Observation.Summary.Report.Path)));

        Assert.Equal(ReferenceRunFixture.RunId, report.RunId);
        Assert.Equal([1, 2], report.Iterations.Select(i => i.Index));
        Assert.All(report.Iterations, row =>
        {
            Assert.NotNull(row.ActorPairs);
            Assert.NotNull(row.JudgePairs);
            Assert.NotNull(row.ActorAccuracy);
            Assert.NotNull(row.JudgeAgreement);
            Assert.NotNull(row.InvalidJudgmentRate);
            Assert.NotNull(row.MeanResponseChars);
            Assert.NotNull(row.TrainingSteps);
        });
        var judgeTraining = report.Iterations[0];
        Assert.True(judgeTraining.TrainedJudge);
        // The meta-judge's diagnostics exist only where it ran: the judge-training iteration. (This tiny judge's two
        // samples per response agree, so there are no battles and no judge pairs: the figures are ω's defaults.)
        Assert.NotNull(judgeTraining.Omega1);
        Assert.NotNull(judgeTraining.Omega2);
        var actorOnly = report.Iterations[1];
        Assert.False(actorOnly.TrainedJudge);
        Assert.Equal(0, actorOnly.JudgePairs);
        Assert.Null(actorOnly.Omega1);
        Assert.Null(actorOnly.OnPolicyMetaJudgePositionARate);
        // DPO ran on actor pairs in both iterations.
        Assert.All(report.Iterations, row => Assert.True(row.ActorPairs > 0 && row.DpoLoss is not null, $"iteration {row.Index}: no DPO"));
    }

    [Fact]
    public void Run_TinySandbox_EveryArtifactRefInTheSummaryVerifiesInTheStore()
    {
        var summary = run.Observation.Summary;
        List<ArtifactRef> refs = [summary.SeedModel, summary.SeedEvaluation.Details, summary.Report];
        foreach (var iteration in summary.Iterations)
        {
            refs.AddRange([iteration.Model, iteration.Training.Model, iteration.Evaluation.Details]);
        }

        foreach (var artifact in refs)
        {
            var full = run.Store.FullPath(artifact.Path);
            var found = Directory.Exists(full) ? run.Store.TryGetFolder(artifact.Path) : run.Store.TryGetFile(artifact.Path);
            Assert.True(found is not null, $"{artifact.Path} is missing or does not verify");
            Assert.Equal(artifact.Sha256, found.Sha256);
        }

        // Each iteration starts from the previous one's checkpoint: distinct, trained models.
        Assert.Equal(3, new[] { summary.SeedModel, summary.Iterations[0].Model, summary.Iterations[1].Model }.Select(m => m.Sha256).Distinct().Count());
    }

    [Fact]
    public void Run_TinySandbox_ProgressQueryAnsweredWhileRunning()
    {
        var runPhases = run.Observation.RunProgress.Select(p => p.Phase).Distinct().ToList();
        var iterationPhases = run.Observation.IterationProgress.Select(p => p.Phase).Distinct().ToList();
        output.WriteLine($"run phases seen: {string.Join(", ", runPhases)}; iteration phases seen: {string.Join(", ", iterationPhases)}");

        Assert.Contains(Phases.Seed, runPhases);
        Assert.Contains(Phases.Iterating, runPhases);
        Assert.All(run.Observation.RunProgress, p => Assert.Equal(2, p.Iterations));
        // Which phases a 100 ms poll catches depends on the machine's speed; that the iterations answered with their
        // fan-out's shard count (8 prompts in shards of 4) does not.
        Assert.Contains(run.Observation.IterationProgress, p => p.ShardsTotal == 2);
        Assert.Equal([1, 2], run.Observation.IterationProgress.Select(p => p.Iteration).Distinct().Order());
    }

    [Fact]
    public void Run_TinySandbox_SearchAttributesShowWhereEachWorkflowEnded()
    {
        var runAttributes = run.Descriptions[0].TypedSearchAttributes;
        Assert.Equal(Phases.Done, runAttributes.Get(RunSearchAttributes.Phase));
        Assert.Equal(2, runAttributes.Get(RunSearchAttributes.Iteration));
        for (var t = 1; t <= 2; t++)
        {
            var attributes = run.Descriptions[t].TypedSearchAttributes;
            Assert.Equal(t, attributes.Get(RunSearchAttributes.Iteration));
            Assert.Equal(Phases.Done, attributes.Get(RunSearchAttributes.Phase));
        }
    }

    [Fact]
    public async Task Run_SameSeedAgain_GivesTheSameFinalCheckpoint()
    {
        using var folder = new TemporaryFolder("mr-e2e-");
        await using var deployment = await InProcessDeployment.StartAsync(folder.Path, startWorker: true);

        var again = await RunObservation.RunAsync(deployment.Client, TinyRun.Input("e2e-tiny-again", deployment.Queues), ReferenceRunFixture.RunLimit);

        Assert.Equal(run.FinalModelSha256, again.Summary.Iterations[^1].Model.Sha256);
    }
}
