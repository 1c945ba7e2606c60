using System.CommandLine;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Run;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Worker.Hosting;
using MetaRewarding.Worker.Runs;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding start --config FILE [--id ID] [--sandbox] [--oracle] [--input-file FILE] [--temporal HOST:PORT]
/// [--namespace NS]</c>: validates the run file locally (nothing starts when it is invalid), starts the run
/// workflow on the CPU queue, and prints its id and the equivalent <c>temporal workflow start</c> command, whose
/// input it writes to a file. Exit codes: 0 started; 1 Temporal unreachable or the start refused (e.g. the id is
/// in use); 2 invalid run file (every error on stderr, nothing started, nothing written). With
/// <c>--iteration T --model DIR</c> it starts one MetaRewardingIteration workflow instead (<see cref="IterationStarter"/>).
/// </summary>
internal static class StartCommand
{
    public const int ExitStarted = 0;
    public const int ExitNotStarted = 1;
    public const int ExitInvalidConfiguration = 2;

    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "Run file: a run configuration plus baseModel + prompts, or sandbox (README: \"Run files\").", HelpName = "FILE", Required = true };
        var id = new Option<string?>("--id") { Description = "Workflow and run id (default: metarewarding-{UTC yyyyMMdd-HHmmss}).", HelpName = "ID" };
        var sandbox = new Option<bool>("--sandbox") { Description = "Run on the offline sandbox (the run file's sandbox settings, or the defaults)." };
        var oracle = new Option<bool>("--oracle") { Description = "Judge with the sandbox's ground truth instead of the model (the oracle control)." };
        var inputFile = new Option<string?>("--input-file") { Description = "Where to write the workflow input JSON for the equivalent temporal CLI command (default: ./{ID}.input.json).", HelpName = "FILE" };
        var iteration = new Option<int?>("--iteration") { Description = "Start only this iteration (a MetaRewardingIteration workflow), from --model, under its own id.", HelpName = "T" };
        var model = new Option<string?>("--model") { Description = "With --iteration: the checkpoint folder M_T to start from, as the workers see it.", HelpName = "DIR" };
        var artifacts = new Option<string?>("--artifacts") { Description = "With --iteration: the artifact store the workers use, where its run snapshot is written (default Worker:Artifacts).", HelpName = "DIR" };
        var connection = new ConnectionOptions();
        var command = new Command("start", "Validate a run file and start its MetaRewardingRun workflow (or, with --iteration, one MetaRewardingIteration). Exit codes: 0 started, 1 not started (Temporal), 2 invalid run file.");
        command.Options.Add(config);
        command.Options.Add(id);
        command.Options.Add(sandbox);
        command.Options.Add(oracle);
        command.Options.Add(inputFile);
        command.Options.Add(iteration);
        command.Options.Add(model);
        command.Options.Add(artifacts);
        connection.AddTo(command);
        command.SetAction((parse, _) => parse.GetValue(iteration) is { } t
            ? StartIterationAsync(
                new IterationRequest(parse.GetValue(config)!, parse.GetValue(id), parse.GetValue(sandbox), parse.GetValue(oracle), parse.GetValue(inputFile), t,
                    parse.GetValue(model), parse.GetValue(artifacts) ?? MetaRewardingConfiguration.Worker(connection.Configuration(parse)).Artifacts),
                MetaRewardingConfiguration.Temporal(connection.Configuration(parse)),
                parse.InvocationConfiguration.Output,
                parse.InvocationConfiguration.Error)
            : ExecuteAsync(
            parse.GetValue(config)!,
            parse.GetValue(id),
            parse.GetValue(sandbox),
            parse.GetValue(oracle),
            parse.GetValue(inputFile),
            MetaRewardingConfiguration.Temporal(connection.Configuration(parse)),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Runs the verb in-process with the given arguments (those after <c>start</c>) and writers.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("start only") { Create() };
        return root.Parse(["start", .. args]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>The run input a run file describes, with the flags applied; null (errors printed) when it is invalid.</summary>
    public static RunInput? Prepare(string configPath, string? id, bool sandbox, bool oracle, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        RunFile file;
        try
        {
            file = RunFile.Load(configPath);
        }
        catch (ConfigurationException e)
        {
            foreach (var error in e.Errors)
            {
                stderr.WriteLine(error);
            }

            return null;
        }

        if (sandbox)
        {
            file = file with { Sandbox = file.Sandbox ?? new SandboxOptions() };
        }

        if (oracle)
        {
            file = file with { JudgeMode = JudgeMode.Oracle };
        }

        var input = file.ToRunInput(id ?? RunStarter.DefaultId(DateTime.UtcNow));
        var errors = RunInputValidator.Validate(input);
        foreach (var error in errors)
        {
            stderr.WriteLine(error);
        }

        return errors.Count == 0 ? input : null;
    }

    /// <summary>After a start: how to watch it, its link in the UI, and the equivalent temporal CLI command.</summary>
    private static async Task PrintFollowUpAsync(TextWriter stdout, string workflowId, TemporalSettings temporal, string address, string inputPath, string cliCommand)
    {
        await stdout.WriteLineAsync($"Watch it: metarewarding status --id {workflowId} --watch");
        if (WebUiLinks.UiBase(temporal, address) is { } ui)
        {
            await stdout.WriteLineAsync($"In the Temporal UI: {WebUiLinks.ToWorkflow(ui, temporal.Namespace, workflowId)}");
        }
        await stdout.WriteLineAsync($"Equivalent Temporal CLI command (input written to {inputPath}):");
        await stdout.WriteLineAsync("  " + cliCommand);
    }

    /// <summary>What `start --iteration` was asked for.</summary>
    private sealed record IterationRequest(string Config, string? Id, bool Sandbox, bool Oracle, string? InputFile, int Iteration, string? Model, string Artifacts);

    private static async Task<int> StartIterationAsync(IterationRequest request, TemporalSettings temporal, TextWriter stdout, TextWriter stderr)
    {
        var run = Prepare(request.Config, request.Id, request.Sandbox, request.Oracle, stderr);
        var errors = run is null ? [] : IterationStarter.Validate(run, request.Iteration, request.Model ?? "");
        if (request.Model is null)
        {
            errors.Add("--iteration needs --model DIR: the checkpoint the iteration starts from");
        }
        errors.ForEach(stderr.WriteLine);
        if (run is null || errors.Count > 0)
        {
            await stderr.WriteLineAsync($"{request.Config}: cannot start iteration {request.Iteration}; nothing was started");
            return ExitInvalidConfiguration;
        }

        var address = ConnectionOptions.ClientAddress(temporal);
        try
        {
            var client = await TemporalClientFactory.ConnectAsync(address, temporal);
            await SearchAttributeRegistration.TryRegisterAsync(client, stderr);
            var input = await IterationStarter.PrepareAsync(run, request.Iteration, request.Model!, new ArtifactStore(request.Artifacts));
            var handle = await IterationStarter.StartAsync(client, run, input);
            var inputPath = Path.GetFullPath(request.InputFile ?? $"{handle.Id}.input.json");
            await File.WriteAllBytesAsync(inputPath, RunStarter.InputJson(input));
            await stdout.WriteLineAsync(
                $"Started iteration workflow {handle.Id} (iteration {input.Iteration} of {request.Config} from {input.Model.Path}; artifacts under runs/{input.RunId}) on {address}, namespace '{temporal.Namespace}'.");
            await PrintFollowUpAsync(stdout, handle.Id, temporal, address, inputPath, IterationStarter.TemporalCliCommand(input, inputPath, address, temporal.Namespace));
            return ExitStarted;
        }
        catch (ArtifactMissingException e)
        {
            await stderr.WriteLineAsync($"cannot start iteration {request.Iteration}: {e.Message}");
            return ExitInvalidConfiguration;
        }
        catch (Exception e) when (e is Temporalio.Exceptions.TemporalException or InvalidOperationException or IOException or Temporalio.Exceptions.ApplicationFailureException)
        {
            await stderr.WriteLineAsync($"could not start iteration {request.Iteration} of '{run.RunId}' on {address}: {e.Message}");
            await stderr.WriteLineAsync("Is a Temporal server running there (and a worker: `metarewarding worker`)? Pass --temporal HOST:PORT or set TEMPORAL_ADDRESS.");
            return ExitNotStarted;
        }
    }

    private static async Task<int> ExecuteAsync(
        string configPath, string? id, bool sandbox, bool oracle, string? inputFile, TemporalSettings temporal, TextWriter stdout, TextWriter stderr)
    {
        var input = Prepare(configPath, id, sandbox, oracle, stderr);
        if (input is null)
        {
            await stderr.WriteLineAsync($"{configPath}: invalid; nothing was started");
            return ExitInvalidConfiguration;
        }

        var address = ConnectionOptions.ClientAddress(temporal);
        try
        {
            var client = await TemporalClientFactory.ConnectAsync(address, temporal);
            await SearchAttributeRegistration.TryRegisterAsync(client, stderr);
            var handle = await RunStarter.StartAsync(client, input);
            var inputPath = Path.GetFullPath(inputFile ?? $"{input.RunId}.input.json");
            await File.WriteAllBytesAsync(inputPath, RunStarter.InputJson(input));
            await stdout.WriteLineAsync($"Started run workflow {handle.Id} (run {handle.ResultRunId}) on {address}, namespace '{temporal.Namespace}', task queue {input.TaskQueues.Cpu}.");
            await PrintFollowUpAsync(stdout, handle.Id, temporal, address, inputPath, RunStarter.TemporalCliCommand(input, inputPath, address, temporal.Namespace));
            return ExitStarted;
        }
        catch (Exception e) when (e is Temporalio.Exceptions.TemporalException or InvalidOperationException or IOException)
        {
            await stderr.WriteLineAsync($"could not start run '{input.RunId}' on {address}: {e.Message}");
            await stderr.WriteLineAsync("Is a Temporal server running there (and a worker: `metarewarding worker`)? Pass --temporal HOST:PORT or set TEMPORAL_ADDRESS.");
            return ExitNotStarted;
        }
    }
}
