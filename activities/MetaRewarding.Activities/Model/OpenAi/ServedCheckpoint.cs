using System.Globalization;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Modeling.Engine;

namespace MetaRewarding.Activities.Model.OpenAi;

/// <summary>
/// The checkpoint an iteration samples from, as the generation server must serve it: the name it must list in
/// <c>/v1/models</c> (<see cref="GenerationSettings.Model"/> with <c>{iteration}</c> filled in, else the folder's full
/// path) and the commands that serve it, for the failure that says it is not being served.
/// </summary>
internal sealed record ServedCheckpoint(string Name, string Folder, int Iteration)
{
    public static ServedCheckpoint For(GenerationSettings settings, string folder, int iteration)
    {
        var name = settings.Model is { } template
            ? template.Replace(GenerationSettings.IterationPlaceholder, iteration.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            : ServedModelNames.Default(folder);
        return new ServedCheckpoint(name, ServedModelNames.Default(folder), iteration);
    }

    /// <summary>Fails non-retryably unless <paramref name="served"/> lists this checkpoint, saying how to serve it.</summary>
    public void RequireServedBy(OpenAiEndpoint endpoint, IReadOnlyList<string> served)
    {
        if (served.Contains(Name, StringComparer.Ordinal))
        {
            return;
        }

        var port = endpoint.ApiRoot.Port;
        var nameOption = string.Equals(Name, Folder, StringComparison.Ordinal) ? "" : $" --served-model-name '{Name}'";
        throw ActivityFailures.InvalidConfiguration(
            $"the generation server {endpoint.ModelsUrl} serves {(served.Count == 0 ? "no model" : string.Join(", ", served.Select(s => $"'{s}'")))}, " +
            $"not '{Name}', iteration {Iteration}'s checkpoint {Folder}. Serve it, then reset this activity (the samples already finished are kept): " +
            $"`vllm serve '{Folder}'{nameOption} --port {port}` (restart vLLM on the new folder; see README, 'Generate with an OpenAI-compatible server'), " +
            $"or `metarewarding serve --model '{Folder}'{nameOption} --port {port}`; or set generation.model to the name it is served under.");
    }
}
