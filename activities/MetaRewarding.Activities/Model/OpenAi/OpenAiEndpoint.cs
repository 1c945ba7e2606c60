using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Activities.Model.OpenAi;

/// <summary>
/// An OpenAI-compatible server as the <c>openai</c> generation backend sees it: <c>GET /v1/models</c> and
/// <c>POST /v1/completions</c>, each failure sorted into what retrying can fix and what it cannot.
/// <list type="bullet">
/// <item>Retried, with exponential backoff (<see cref="GenerationSettings.MaxRetries"/> times, then a retryable
/// <see cref="GenerationServerException"/>): no connection, no answer within the timeout, 408, 429, 5xx.</item>
/// <item>Not retried (<see cref="ActivityFailures.InvalidConfiguration(string, Exception?)"/>): 401/403 (the API key),
/// any other 4xx (the request or the URL is wrong), and a 200 that is not an OpenAI answer (another kind of server).</item>
/// </list>
/// Every message names the endpoint and says what to change.
/// </summary>
public sealed class OpenAiEndpoint : IDisposable
{
    private const int ExcerptLength = 300;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private readonly HttpClient http;
    private readonly GenerationSettings settings;
    private readonly TimeSpan firstBackoff;

    public OpenAiEndpoint(GenerationSettings settings, TimeSpan firstBackoff)
    {
        ArgumentNullException.ThrowIfNull(settings);
        this.settings = settings;
        this.firstBackoff = firstBackoff;
        ApiRoot = ApiRootOf(settings.BaseUrl ?? throw new ArgumentException("generation.baseUrl is required for the openai backend", nameof(settings)));
        http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(1, settings.MaxConcurrency) })
        {
            Timeout = TimeSpan.FromSeconds(settings.RequestTimeoutSeconds),
        };
        if (settings.ApiKeyEnv is { } variable)
        {
            var key = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(key))
            {
                http.Dispose();
                throw ActivityFailures.InvalidConfiguration(
                    $"generation.apiKeyEnv names the environment variable {variable}, which is not set on this worker; set it to the API key of {ApiRoot} (or remove apiKeyEnv) and reset this activity");
            }

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    /// <summary>The API's root, ending in <c>/v1/</c>, whether the base URL had it or not.</summary>
    public Uri ApiRoot { get; }

    public Uri ModelsUrl => new(ApiRoot, "models");

    public Uri CompletionsUrl => new(ApiRoot, "completions");

    /// <summary><c>http://host:8000</c>, <c>http://host:8000/</c> and <c>http://host:8000/v1</c> all mean <c>http://host:8000/v1/</c>.</summary>
    public static Uri ApiRootOf(string baseUrl)
    {
        var trimmed = baseUrl.TrimEnd('/');
        return new Uri((trimmed.EndsWith("/v1", StringComparison.Ordinal) ? trimmed : trimmed + "/v1") + "/");
    }

    /// <summary>The model ids <c>GET /v1/models</c> lists.</summary>
    public async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        var answer = await SendWithRetriesAsync(() => new HttpRequestMessage(HttpMethod.Get, ModelsUrl), cancellationToken).ConfigureAwait(false);
        if (answer["data"] is not JsonArray data || data.Any(m => m?["id"] is not JsonValue id || !id.TryGetValue<string>(out _)))
        {
            throw NotOpenAi(ModelsUrl, "GET", $"an answer without a \"data\" list of models with \"id\"s: {Excerpt(answer.ToJsonString())}");
        }

        return [.. data.Select(m => m!["id"]!.GetValue<string>())];
    }

    /// <summary>POSTs one completion request; the answer's JSON (checked by the caller for choices).</summary>
    public Task<JsonObject> CompleteAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var text = body.ToJsonString();
        return SendWithRetriesAsync(
            () => new HttpRequestMessage(HttpMethod.Post, CompletionsUrl) { Content = new StringContent(text, Encoding.UTF8, "application/json") },
            cancellationToken);
    }

    /// <summary>The non-retryable failure for an answer that is not the protocol's.</summary>
    public static Exception NotOpenAi(Uri url, string method, string what) => ActivityFailures.InvalidConfiguration(
        $"{method} {url} answered {what}; this is not an OpenAI-compatible server (vLLM, SGLang, TGI, llama-server, `metarewarding serve`), or generation.baseUrl points at the wrong place: set it to the server's root, e.g. http://host:8000, and reset this activity");

    public static string Excerpt(string text) => text.Length <= ExcerptLength ? text : text[..ExcerptLength] + "...";

    public void Dispose() => http.Dispose();

    private async Task<JsonObject> SendWithRetriesAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        string? problem = null;
        for (var attempt = 0; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            using (var message = request())
            {
                try
                {
                    using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
                    var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        return ParseAnswer(message, body);
                    }

                    if (!IsTransient(response.StatusCode))
                    {
                        throw Refused(message, response.StatusCode, body);
                    }

                    problem = $"HTTP {(int)response.StatusCode} {ServerMessage(body)}";
                    retryAfter = response.Headers.RetryAfter?.Delta;
                }
                catch (HttpRequestException e)
                {
                    problem = $"no connection ({e.Message})";
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    problem = $"no answer within generation.requestTimeoutSeconds = {settings.RequestTimeoutSeconds} s";
                }

                if (attempt >= settings.MaxRetries)
                {
                    throw new GenerationServerException(
                        $"{message.Method} {message.RequestUri}: {problem}, {attempt + 1} attempt(s); the activity fails and Temporal retries it, resuming after the samples already finished. Check that the server is running and serving (generation.baseUrl = {settings.BaseUrl}), or raise generation.requestTimeoutSeconds / maxRetries.");
                }
            }

            var backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, firstBackoff.Ticks << Math.Min(attempt, 20)));
            var jittered = backoff * (0.5 + (Random.Shared.NextDouble() / 2));
            await Task.Delay(retryAfter is { } wait && wait > jittered ? wait : jittered, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static JsonObject ParseAnswer(HttpRequestMessage message, string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject json)
            {
                return json;
            }
        }
        catch (JsonException)
        {
            // not JSON: reported below with the body's start
        }

        throw NotOpenAi(message.RequestUri!, message.Method.Method, $"200 with a body that is not a JSON object: {Excerpt(body)}");
    }

    private Exception Refused(HttpRequestMessage message, HttpStatusCode status, string body)
    {
        var what = $"{message.Method} {message.RequestUri} answered HTTP {(int)status}: {ServerMessage(body)}";
        return status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ActivityFailures.InvalidConfiguration(
                $"{what}; the server wants an API key: put it in an environment variable on the workers and name that variable in generation.apiKeyEnv{(settings.ApiKeyEnv is { } v ? $" (now {v}, whose key was refused)" : "")}, then reset this activity"),
            HttpStatusCode.NotFound when message.Method == HttpMethod.Get => NotOpenAi(message.RequestUri!, "GET", $"HTTP 404 ({ServerMessage(body)})"),
            _ => ActivityFailures.InvalidConfiguration(
                $"{what}; the server refuses the request, so retrying cannot help: check generation.model and the iteration's sampling settings against what the server accepts, then reset this activity"),
        };
    }

    /// <summary>The server's own words: OpenAI's <c>error.message</c> when the body has one, else the body's start.</summary>
    private static string ServerMessage(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject json && json["error"] is { } error)
            {
                return error is JsonObject o && o["message"] is JsonValue m && m.TryGetValue<string>(out var text) ? text : error.ToJsonString();
            }
        }
        catch (JsonException)
        {
            // plain text (a proxy's page, a crash): quoted as it is
        }

        return Excerpt(body.Trim());
    }
}
