namespace MetaRewarding.Modeling.Engine;

/// <summary>
/// What an OpenAI-compatible server calls a checkpoint it was started on without a name: its folder's full path
/// (as <c>vllm serve DIR</c> does when given an absolute path, and <c>metarewarding serve</c>). The server and the
/// <c>openai</c> generation backend, which expects the iteration's checkpoint under that name, share this rule.
/// </summary>
public static class ServedModelNames
{
    public static string Default(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
    }
}
