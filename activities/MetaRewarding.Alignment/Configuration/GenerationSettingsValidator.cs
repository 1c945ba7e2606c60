using System.Text.RegularExpressions;

namespace MetaRewarding.Alignment.Configuration;

/// <summary>The checks of <see cref="GenerationSettings"/>, as part of <see cref="RunConfigurationValidator"/>.</summary>
internal static partial class GenerationSettingsValidator
{
    public static void Validate(ValidationErrors errors, GenerationSettings generation)
    {
        errors.Defined("generation.backend", generation.Backend);
        errors.Defined("generation.promptFormat", generation.PromptFormat);
        if (generation.BaseUrl is { } url)
        {
            if (!IsHttpUrl(url))
            {
                errors.Add($"generation.baseUrl must be an http(s) URL such as http://127.0.0.1:8000, got '{url}'");
            }
        }
        else if (generation.Backend == GenerationBackend.Openai)
        {
            errors.Add("generation.baseUrl must be the server's URL (e.g. http://127.0.0.1:8000) when generation.backend is openai, got null");
        }

        if (generation.Model is { } model && (string.IsNullOrWhiteSpace(model) || model.Replace(GenerationSettings.IterationPlaceholder, "", StringComparison.Ordinal).Contains('{', StringComparison.Ordinal)))
        {
            errors.Add($"generation.model must be a served model name, optionally with {GenerationSettings.IterationPlaceholder}, got '{model}'; leave it out to expect the checkpoint folder's path");
        }

        if (generation.ApiKeyEnv is { } variable && !EnvironmentVariableName().IsMatch(variable))
        {
            errors.Add($"generation.apiKeyEnv must be an environment variable's name (letters, digits, _), got '{variable}'");
        }

        errors.AtLeast("generation.maxConcurrency", generation.MaxConcurrency, 1);
        errors.PositiveFinite("generation.requestTimeoutSeconds", generation.RequestTimeoutSeconds);
        errors.AtLeast("generation.maxRetries", generation.MaxRetries, 0);
    }

    /// <summary>An absolute http or https URL.</summary>
    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentVariableName();
}
