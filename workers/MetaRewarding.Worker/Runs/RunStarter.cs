using System.Globalization;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Workflows;
using Temporalio.Client;
using Temporalio.Common;

namespace MetaRewarding.Worker.Runs;

/// <summary>
/// Starts a <see cref="RunWorkflow"/> as <c>metarewarding start</c> and <c>demo</c> do: on the CPU queue, with a
/// memo summarising the configuration (shown in the UI's workflow page) and the initial search attributes, so
/// the run is listed by <c>MetaRewardingPhase = 'prepare'</c> from its first second.
/// </summary>
public static class RunStarter
{
    /// <summary>The default workflow/run id: <c>metarewarding-{UTC yyyyMMdd-HHmmss}</c>.</summary>
    public static string DefaultId(DateTime utcNow) => $"metarewarding-{utcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";

    public static WorkflowOptions Options(RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new WorkflowOptions(input.RunId, input.TaskQueues.Cpu)
        {
            Memo = Memo(input),
            TypedSearchAttributes = new SearchAttributeCollection.Builder()
                .Set(RunSearchAttributes.Iteration, 0)
                .Set(RunSearchAttributes.Phase, Phases.Prepare)
                .ToSearchAttributeCollection(),
        };
    }

    /// <summary>What a person wants to see of a run before opening its files.</summary>
    public static Dictionary<string, object> Memo(RunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var schedule = input.Configuration.Iterations;
        return new Dictionary<string, object>
        {
            ["source"] = input.Sandbox is { } sandbox ? $"sandbox:{sandbox.TaskFamily}" : input.BaseModel ?? "",
            ["prompts"] = input.Prompts ?? "",
            ["judgeMode"] = input.JudgeMode.ToString().ToLowerInvariant(),
            ["metaJudgeMode"] = input.MetaJudgeMode.ToString().ToLowerInvariant(),
            ["seedModel"] = input.SeedModel ?? "",
            ["seed"] = input.Configuration.Seed,
            ["iterations"] = schedule.Count,
            ["judgeTrainingIterations"] = string.Join(",", schedule.Select((s, i) => (s, i)).Where(p => JudgeTraining.IsTrainedIn(p.s, input.JudgeMode)).Select(p => p.i + 1)),
            ["promptsPerIteration"] = string.Join(",", schedule.Select(s => s.Prompts)),
        };
    }

    public static Task<WorkflowHandle<RunWorkflow, RunSummary>> StartAsync(ITemporalClient client, RunInput input)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.StartWorkflowAsync((RunWorkflow w) => w.RunAsync(input), Options(input));
    }

    /// <summary>
    /// The run <paramref name="input"/> names when this server already has it (any status: an earlier invocation of a
    /// resumed demo started it), else a new start: a resumed session attaches instead of starting a run twice.
    /// </summary>
    public static async Task<WorkflowHandle<RunWorkflow, RunSummary>> StartOrAttachAsync(ITemporalClient client, RunInput input)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(input);
        var existing = client.GetWorkflowHandle<RunWorkflow, RunSummary>(input.RunId);
        try
        {
            await existing.DescribeAsync();
            return existing;
        }
        catch (Temporalio.Exceptions.RpcException e) when (e.Code == Temporalio.Exceptions.RpcException.StatusCode.NotFound)
        {
            return await StartAsync(client, input);
        }
    }

    /// <summary>The input as the SDK's default converter writes it: what <c>temporal workflow start --input-file</c> must send.</summary>
    public static byte[] InputJson<T>(T input) => RunPayloadConverter.DataConverter.PayloadConverter.ToPayload(input).Data.ToByteArray();

    /// <summary>The equivalent Temporal CLI command (memo and search attributes as the CLI spells them).</summary>
    public static string TemporalCliCommand(RunInput input, string inputFile, string address, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(input);
        return $"temporal workflow start --address {address} --namespace {@namespace} --type {WorkflowNames.Run} "
            + $"--task-queue {input.TaskQueues.Cpu} --workflow-id {input.RunId} --input-file {Quote(inputFile)} "
            + $"--search-attribute '{RunSearchAttributes.Iteration.Name}=0' --search-attribute '{RunSearchAttributes.Phase.Name}=\"{Phases.Prepare}\"'";
    }

    /// <summary>A path as a shell word (single-quoted when it has a space).</summary>
    internal static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"'{path}'" : path;
}
