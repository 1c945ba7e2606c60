using System.Text.Json;
using MetaRewarding.Modeling.Engine;
using static TorchSharp.torch;

namespace MetaRewarding.Worker.Cli.Engine;

/// <summary>
/// What the verbs that drive the engine (<c>generate</c>, <c>logprobs</c>, <c>bench</c>, <c>serve</c>) share: loading a
/// checkpoint through <see cref="CheckpointEngine"/> with a dtype name, and one mapping of bad input to exit code 2
/// with <c>verb: reason</c> on stderr.
/// </summary>
internal static class EngineVerbs
{
    public const int ExitOk = 0;
    public const int ExitBadInput = 2;

    /// <summary>Runs <paramref name="body"/>; bad input (a file, a line, an option) prints <c>verb: message</c> and returns <see cref="ExitBadInput"/>.</summary>
    public static int Run(string verb, TextWriter stderr, Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body();
        }
        catch (Exception e) when (IsBadInput(e))
        {
            stderr.WriteLine($"{verb}: {e.Message}");
            return ExitBadInput;
        }
    }

    /// <summary>Loads <paramref name="folder"/> on the CPU in the dtype named <paramref name="dtypeName"/> (see <see cref="ComputeDtypes"/>).</summary>
    public static CheckpointEngine Load(string folder, string dtypeName) => Load(folder, dtypeName, CPU);

    /// <summary>Loads <paramref name="folder"/> on <paramref name="device"/> in the dtype named <paramref name="dtypeName"/>.</summary>
    public static CheckpointEngine Load(string folder, string dtypeName, Device device)
    {
        var dtype = ComputeDtypes.Parse(dtypeName);
        return CheckpointEngine.Load(folder, dtype, device);
    }

    public static bool IsBadInput(Exception e) => e is CliInputException or ArgumentException or InvalidDataException or FileNotFoundException
        or DirectoryNotFoundException or IOException or UnauthorizedAccessException or NotSupportedException or JsonException;
}
