using System.CommandLine;
using MetaRewarding.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding worker [--queues cpu,gpu] [--temporal HOST:PORT] [--namespace NS] [--artifacts DIR]</c>: a
/// Temporal worker process (Generic Host) serving the CPU queue (workflows + run activities), the GPU queue
/// (model activities, one at a time), or both. Without an address it starts a local server (see
/// <see cref="TemporalServerResolver"/>). Ctrl+C / SIGTERM drains: polling stops, running activities get
/// <c>Worker:GracefulShutdownSeconds</c> to finish. Exit codes: 0 stopped; 1 could not connect or start;
/// 2 invalid settings.
/// </summary>
internal static class WorkerCommand
{
    public const string Name = "worker";
    public const int ExitStopped = 0;
    public const int ExitCannotStart = 1;
    public const int ExitInvalidSettings = 2;

    public static Command Create()
    {
        var queues = new Option<string?>("--queues") { Description = "Queues to serve: cpu, gpu or cpu,gpu (default: Worker:Queues, cpu,gpu).", HelpName = "LIST" };
        var artifacts = new Option<string?>("--artifacts") { Description = "Artifact store root, the same folder for every worker (default: Worker:Artifacts).", HelpName = "DIR" };
        var connection = new ConnectionOptions();
        var command = new Command(Name, "Run a Temporal worker for the CPU and/or GPU task queue until Ctrl+C (drains running activities). Exit codes: 0 stopped, 1 cannot start, 2 invalid settings.");
        command.Options.Add(queues);
        command.Options.Add(artifacts);
        connection.AddTo(command);
        command.SetAction((parse, _) => ExecuteAsync(
            connection.Configuration(parse, [new("Worker:Queues", parse.GetValue(queues)), new("Worker:Artifacts", parse.GetValue(artifacts))]),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    private static async Task<int> ExecuteAsync(IConfigurationRoot configuration, TextWriter stdout, TextWriter stderr)
    {
        var settings = MetaRewardingConfiguration.Worker(configuration);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            errors.ToList().ForEach(stderr.WriteLine);
            return ExitInvalidSettings;
        }

        var temporal = MetaRewardingConfiguration.Temporal(configuration);
        var choice = TemporalServerResolver.Resolve(temporal, Environment.GetEnvironmentVariable("PATH"));
        LocalTemporalServer server;
        try
        {
            server = await LocalTemporalServer.StartAsync(choice, temporal, stderr, CancellationToken.None);
        }
        catch (InvalidOperationException e)
        {
            await stderr.WriteLineAsync($"cannot start a Temporal server: {e.Message}");
            return ExitCannotStart;
        }

        await using (server)
        {
            Temporalio.Client.TemporalClient client;
            try
            {
                client = await TemporalClientFactory.ConnectAsync(server.Address, temporal);
            }
            catch (Exception e) when (e is Temporalio.Exceptions.TemporalException or InvalidOperationException)
            {
                await stderr.WriteLineAsync($"cannot connect to Temporal at {server.Address} (namespace '{temporal.Namespace}'): {e.Message}");
                return ExitCannotStart;
            }

            await SearchAttributeRegistration.TryRegisterAsync(client, stderr);
            using var host = WorkerHost.Build(configuration, client);
            await stdout.WriteLineAsync(
                $"Worker on {server.Address} (namespace '{temporal.Namespace}'): queues {string.Join(", ", settings.ServedQueues().Select(q => q == WorkerSettings.CpuQueue ? settings.CpuTaskQueue : settings.GpuTaskQueue))}; "
                + $"artifacts {Path.GetFullPath(settings.Artifacts)}; Ctrl+C drains for {settings.GracefulShutdownSeconds} s.");
            // The host's console lifetime handles Ctrl+C / SIGTERM (Program.cs leaves them to it for this verb).
            await host.RunAsync();
        }

        return ExitStopped;
    }
}
