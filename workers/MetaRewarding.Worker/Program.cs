using MetaRewarding.Worker.Cli;

// The `metarewarding` executable: one process that hosts the workers and the CLI verbs.
// Each verb lives in its own file under Cli/; CliVerbs lists them.
var root = CliVerbs.CreateRoot();
return await root.Parse(args).InvokeAsync();
