using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using Temporalio.Client;

namespace MetaRewarding.EndToEnd.Tests.Support;

/// <summary>
/// One uninterrupted tiny run on the in-process deployment, shared by the end-to-end assertions and as the
/// reference the determinism and crash tests compare their final checkpoint with. With
/// <c>METAREWARDING_RECORD_HISTORIES=DIR</c> set it also writes the run's and its iterations' histories to
/// <c>DIR/e2e-*.json</c> (the committed ones replay in MetaRewarding.Workflows.Tests).
/// </summary>
public sealed class ReferenceRunFixture : IAsyncLifetime
{
    public const string RunId = "e2e-tiny";

    /// <summary>A run may take minutes on a loaded CI machine; a hang fails the test instead of the CI job.</summary>
    public static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(4);

    private readonly string root = Path.Combine(Path.GetTempPath(), "mr-e2e-reference-" + Guid.NewGuid().ToString("N"));

    public InProcessDeployment Deployment { get; private set; } = null!;

    public ArtifactStore Store { get; private set; } = null!;

    public RunObservation Observation { get; private set; } = null!;

    public TimeSpan Duration { get; private set; }

    /// <summary>The run's, then each iteration's, description after the run closed.</summary>
    public List<WorkflowExecutionDescription> Descriptions { get; } = [];

    public string FinalModelSha256 => Observation.Summary.Iterations[^1].Model.Sha256;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(root);
        Deployment = await InProcessDeployment.StartAsync(root, startWorker: true);
        Store = new ArtifactStore(root);
        var started = DateTime.UtcNow;
        Observation = await RunObservation.RunAsync(Deployment.Client, TinyRun.Input(RunId, Deployment.Queues), RunLimit);
        Duration = DateTime.UtcNow - started;
        var ids = WorkflowIds();
        foreach (var id in ids)
        {
            Descriptions.Add(await Deployment.Client.GetWorkflowHandle(id).DescribeAsync());
        }

        var record = Environment.GetEnvironmentVariable("METAREWARDING_RECORD_HISTORIES");
        if (!string.IsNullOrEmpty(record))
        {
            foreach (var id in ids)
            {
                var history = await Deployment.Client.GetWorkflowHandle(id).FetchHistoryAsync();
                await File.WriteAllTextAsync(Path.Combine(record, $"{id}.json"), history.ToJson());
            }
        }
    }

    public static IReadOnlyList<string> WorkflowIds(string runId = RunId) =>
        [runId, WorkflowNames.IterationWorkflowId(runId, 1), WorkflowNames.IterationWorkflowId(runId, 2)];

    public async Task DisposeAsync()
    {
        await Deployment.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ReferenceRunGroup : ICollectionFixture<ReferenceRunFixture>
{
    public const string Name = "tiny runs";
}
