using System.CommandLine;
using MetaRewarding.Worker.Cli;

// The `metarewarding` executable: one process that hosts the workers and the CLI verbs.
// Each verb lives in its own file under Cli/; CliVerbs lists them.
var root = CliVerbs.CreateRoot();
var parse = root.Parse(args);
var invocation = new InvocationConfiguration();
if (parse.CommandResult.Command.Name == WorkerCommand.Name)
{
    // System.CommandLine would end the process 2 s after Ctrl+C; the worker's Generic Host handles Ctrl+C and
    // SIGTERM itself and drains running activities for Worker:GracefulShutdownSeconds first.
    invocation.ProcessTerminationTimeout = null;
}

return await parse.InvokeAsync(invocation);
