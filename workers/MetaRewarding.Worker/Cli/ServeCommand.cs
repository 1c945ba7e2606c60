using System.CommandLine;
using MetaRewarding.Modeling.Engine;
using MetaRewarding.Serving;
using MetaRewarding.Worker.Cli.Engine;

namespace MetaRewarding.Worker.Cli;

/// <summary>
/// <c>metarewarding serve --model DIR [--port 8000] [--host 127.0.0.1] [--served-model-name NAME] [--dtype D]
/// [--device cpu|cuda] [--batch-size B] [--kv-cache-tokens T] [--api-key KEY]</c>: the engine behind an OpenAI-compatible HTTP server
/// (workers/MetaRewarding.Serving) until Ctrl+C or SIGTERM: chat with or evaluate any checkpoint, or point a run's
/// <c>openai</c> generation backend at it. Exit codes: 0 stopped; 1 could not listen (a port in use); 2 bad input
/// (model folder, option).
/// </summary>
internal static class ServeCommand
{
    public const int ExitStopped = 0;
    public const int ExitCannotListen = 1;
    public const int ExitBadInput = EngineVerbs.ExitBadInput;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model folder (config.json + safetensors; tokenizer files for text and chat).", HelpName = "DIR", Required = true };
        var port = new Option<int>("--port") { Description = "TCP port (0 picks a free one).", DefaultValueFactory = _ => 8000, HelpName = "PORT" };
        var host = new Option<string>("--host") { Description = "Address to bind; the server has no authentication, so loopback by default.", DefaultValueFactory = _ => "127.0.0.1" };
        var name = new Option<string?>("--served-model-name") { Description = "The model's name in the API; default: the folder's full path (as vLLM names it).", HelpName = "NAME" };
        var dtype = new Option<string>("--dtype") { Description = $"Compute dtype: {ComputeDtypes.Choices}.", DefaultValueFactory = _ => "float32" };
        var device = new Option<string>("--device") { Description = "torch device: cpu, cuda, cuda:N.", DefaultValueFactory = _ => "cpu" };
        var batchSize = new Option<int>("--batch-size") { Description = "Most rows decoded together across all requests.", DefaultValueFactory = _ => 32 };
        var apiKey = new Option<string?>("--api-key") { Description = "Require 'Authorization: Bearer KEY' on every /v1 request (as vLLM's --api-key); a run's generation.apiKeyEnv names the variable holding it.", HelpName = "KEY" };
        var kvCacheTokens = new Option<long?>("--kv-cache-tokens") { Description = "KV-cache size in token positions (default: batch size × the longest request)." };
        var command = new Command("serve", "Serve a checkpoint over an OpenAI-compatible HTTP API (/v1/models, /v1/completions, /v1/chat/completions) until Ctrl+C. Exit codes: 0 stopped, 1 cannot listen, 2 bad input.");
        foreach (var option in new Option[] { model, port, host, name, dtype, device, batchSize, kvCacheTokens, apiKey })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => ServeAsync(
            parse.GetValue(model)!,
            parse.GetValue(dtype)!,
            parse.GetValue(device)!,
            new ServeOptions
            {
                Port = parse.GetValue(port),
                Host = parse.GetValue(host)!,
                ModelName = parse.GetValue(name),
                MaxBatchSize = parse.GetValue(batchSize),
                KvCacheTokens = parse.GetValue(kvCacheTokens),
                ApiKey = parse.GetValue(apiKey),
            },
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    /// <summary>Loads the checkpoint and serves it until <paramref name="stop"/> (or SIGINT / SIGTERM).</summary>
    public static async Task<int> ServeAsync(string folder, string dtype, string device, ServeOptions options, TextWriter stdout, TextWriter stderr, CancellationToken stop)
    {
        CheckpointEngine engine;
        try
        {
            engine = EngineVerbs.Load(folder, dtype, TorchSharp.torch.device(device));
        }
        catch (Exception e) when (EngineVerbs.IsBadInput(e))
        {
            await stderr.WriteLineAsync($"serve: {e.Message}").ConfigureAwait(false);
            return ExitBadInput;
        }

        using (engine)
        {
            OpenAiServer server;
            try
            {
                server = await OpenAiServer.StartAsync(engine, options, stop).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync($"serve: {e.Message}").ConfigureAwait(false);
                return ExitBadInput;
            }
            catch (InvalidOperationException e)
            {
                await stderr.WriteLineAsync($"serve: {e.Message}").ConfigureAwait(false);
                return ExitCannotListen;
            }

            await using (server.ConfigureAwait(false))
            {
                var api = new Uri(server.BaseAddress, "v1");
                await stdout.WriteLineAsync($"serve: '{server.ModelName}' on {api} (OpenAI-compatible: /v1/models, /v1/completions, /v1/chat/completions). Ctrl+C stops.").ConfigureAwait(false);
                await stdout.WriteLineAsync($"  try: curl {api}/completions -H 'Content-Type: application/json' -d '{{\"prompt\": \"Hello\", \"max_tokens\": 16}}'").ConfigureAwait(false);
                await ShutdownSignals.WaitAsync(stop).ConfigureAwait(false);
                await stdout.WriteLineAsync("serve: stopping.").ConfigureAwait(false);
            }
        }

        return ExitStopped;
    }
}
