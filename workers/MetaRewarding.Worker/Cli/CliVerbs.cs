using System.CommandLine;
using MetaRewarding.Worker.Cli.Bench;

namespace MetaRewarding.Worker.Cli;

/// <summary>The verbs of the <c>metarewarding</c> executable, one file each.</summary>
internal static class CliVerbs
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("metarewarding: Meta-Rewarding self-improvement of a language model as durable Temporal workflows.");
        // Add each verb here: root.Subcommands.Add(XCommand.Create());
        root.Subcommands.Add(ScheduleCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(LogprobsCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(StartCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ExperimentCommand.Create());
        root.Subcommands.Add(LocalServerCommand.Create());
        return root;
    }
}
