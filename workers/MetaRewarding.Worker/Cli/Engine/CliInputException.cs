namespace MetaRewarding.Worker.Cli.Engine;

/// <summary>Bad input to an engine verb; the message names the file, line or option and what to change. The verb exits 2.</summary>
internal sealed class CliInputException(string message) : Exception(message);
