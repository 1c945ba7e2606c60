using MetaRewarding.Activities.Contracts;
using MetaRewarding.TemporalUi.Tests.Support;
using MetaRewarding.Workflows;
using Temporalio.Api.Enums.V1;

namespace MetaRewarding.TemporalUi.Tests;

/// <summary>
/// The Temporal Web UI served by `metarewarding local-server`, in headless Chromium, over real sandbox runs
/// (<see cref="UiRunFixture"/>). Each check leaves a screenshot in TestResults/temporal-ui/.
/// </summary>
public sealed class TemporalUiBrowserTests(UiRunFixture fixture) : IClassFixture<UiRunFixture>
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] RunHistory = ["PrepareSeedModel", "MetaRewardingIteration", "Failed"];
    private static readonly string[] IterationFailure = ["BuildPairs", InjectedFailure.Message];
    // The seed SFT's TrainingHeartbeat: phase, step of steps, loss.
    private static readonly string[] TrainingHeartbeat = ["PrepareSeedModel", "Heartbeat", "\"Phase\": \"seed-sft\"", "\"Steps\": 1000000"];
    private static readonly string[] ProgressResult = ["\"Iterations\": 2", "\"Phase\""];

    [Fact]
    public async Task List_ShowsTheRunAndItsIterationChildrenWithSearchAttributes_AndFiltersByPhase()
    {
        // What the server itself says (the gRPC visibility API), to compare the UI with.
        var all = await fixture.Client.ListWorkflowsAsync("").ToListAsync();
        // Newest first: after the Reset check, a workflow id has more than one run.
        var run = all.First(w => w.Id == fixture.FailingRunId);
        var child = all.First(w => w.Id == fixture.FailingIterationId);
        var phase = child.TypedSearchAttributes.Get(RunSearchAttributes.Phase);
        var filter = $"MetaRewardingPhase = \"{phase}\"";
        var filtered = (await fixture.Client.ListWorkflowsAsync(filter).ToListAsync()).Select(w => w.Id).ToList();
        Assert.Contains(fixture.FailingIterationId, filtered);

        var result = await Browser.RunAsync("list", fixture.Options(
            ("rows", new[]
            {
                new { id = run.Id, type = run.WorkflowType, phase = run.TypedSearchAttributes.Get(RunSearchAttributes.Phase) },
                new { id = child.Id, type = child.WorkflowType, phase },
            }),
            ("filter", filter),
            ("filtered", filtered),
            ("notFiltered", all.Select(w => w.Id).Except(filtered).ToList())), CheckTimeout);

        Browser.AssertOk(result);
    }

    [Fact]
    public async Task WorkflowPage_ShowsTheHistory()
    {
        var result = await Browser.RunAsync("history", fixture.Options(
            ("workflowId", fixture.FailingRunId),
            ("runId", fixture.FailedRunRunId),
            ("expect", RunHistory)), CheckTimeout);

        Browser.AssertOk(result);
    }

    [Fact]
    public async Task FailedActivity_ItsErrorIsVisibleOnTheIterationsPage()
    {
        var result = await Browser.RunAsync("history", fixture.Options(
            ("workflowId", fixture.FailingIterationId),
            ("runId", fixture.FailedIterationRunId),
            ("expect", IterationFailure)), CheckTimeout, screenshot: "failed-activity");

        Browser.AssertOk(result);
    }

    [Fact]
    public async Task PendingActivities_ShowTheTrainingHeartbeatDetails()
    {
        var description = await fixture.TrainingDescriptionAsync();

        var result = await Browser.RunAsync("pending", fixture.Options(
            ("workflowId", fixture.TrainingRunId),
            ("runId", description.WorkflowExecutionInfo.Execution.RunId),
            ("expect", TrainingHeartbeat)), CheckTimeout);

        Browser.AssertOk(result);
    }

    [Fact]
    public async Task Queries_ShowTheProgressQueryResult()
    {
        var result = await Browser.RunAsync("query", fixture.Options(
            ("workflowId", fixture.FailingRunId),
            ("runId", fixture.FailedRunRunId),
            ("expect", ProgressResult)), CheckTimeout);

        Browser.AssertOk(result);
    }

    [Fact]
    public async Task ResetButton_ResetsTheFailedRun_AndTheRunGoesOn()
    {
        fixture.Failure.Armed = false; // the user fixed the judge template
        var events = (await fixture.Client.GetWorkflowHandle(fixture.FailingRunId, runId: fixture.FailedRunRunId).FetchHistoryAsync()).Events;
        // The point README's "Retry or reset a failed activity" names: the task whose command started the failed iteration.
        var resetPoint = events.First(e => e.EventType == EventType.StartChildWorkflowExecutionInitiated)
            .StartChildWorkflowExecutionInitiatedEventAttributes.WorkflowTaskCompletedEventId;

        var result = await Browser.RunAsync("reset", fixture.Options(
            ("workflowId", fixture.FailingRunId),
            ("runId", fixture.FailedRunRunId),
            ("eventId", resetPoint),
            ("reason", "fixed the judge template")), CheckTimeout);

        Browser.AssertOk(result);
        var latest = fixture.Client.GetWorkflowHandle(fixture.FailingRunId);
        Assert.NotEqual(fixture.FailedRunRunId, (await latest.DescribeAsync()).RunId);
        // The run goes on: its iteration 1 starts again and this time gets past the step that failed.
        await UiRunFixture.WaitForAsync(async () =>
            (await fixture.Client.GetWorkflowHandle(fixture.FailingIterationId).FetchHistoryAsync()).Events.Any(e =>
                e.EventType == EventType.ActivityTaskScheduled && e.ActivityTaskScheduledEventAttributes.ActivityType.Name == ActivityNames.TrainDpo),
            $"the reset {fixture.FailingRunId}'s iteration 1 to pass BuildPairs");
        // Keep the fixture's workflows still for the other checks.
        await UiRunFixture.TerminateIfRunningAsync(latest, "reset checked");
    }
}
