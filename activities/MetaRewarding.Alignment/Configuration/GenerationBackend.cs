namespace MetaRewarding.Alignment.Configuration;

/// <summary>Who samples the generate / judge / meta-judge shards (docs/GENERATION.md).</summary>
public enum GenerationBackend
{
    /// <summary>The worker's own TorchSharp engine, on the worker's device.</summary>
    Engine,

    /// <summary>An OpenAI-compatible server (vLLM, SGLang, TGI, llama-server, <c>metarewarding serve</c>) at <see cref="GenerationSettings.BaseUrl"/>. Spelt <c>openai</c> in JSON.</summary>
    Openai,
}

/// <summary>How the <c>openai</c> backend sends a prompt to <c>/v1/completions</c>.</summary>
public enum PromptFormat
{
    /// <summary>The chat-templated prompt as token ids, rendered by the worker with the checkpoint's tokenizer: the server sees exactly the engine's ids.</summary>
    TokenIds,

    /// <summary>The same prompt as text (special tokens spelt out, BOS left for the server to add), for servers that take no token ids (TGI).</summary>
    Text,
}
