using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Modeling.Generation;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Modeling.Scoring;
using MetaRewarding.Tokenization;
using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Engine;

/// <summary>
/// A checkpoint loaded for inference, and the one place that knows how to drive it: the model, its tokenizer and
/// chat template (when the folder has them), the token ids that end a completion, decoding completion ids to text,
/// sampling (<see cref="Generate"/>) and scoring (<see cref="Score"/>). The CLI verbs (<c>generate</c>,
/// <c>logprobs</c>, <c>bench</c>, <c>serve</c>) and the model activities go through it, so end-of-sequence and
/// decoding rules cannot drift between them.
/// </summary>
public sealed class CheckpointEngine : IDisposable
{
    private readonly Lazy<IChatTemplate> chat;

    /// <summary>An engine over a model already in memory (a random benchmark model, a model being trained).</summary>
    /// <param name="model">The model; disposed with the engine.</param>
    /// <param name="tokenizer">Its tokenizer, or null for token-id-only use.</param>
    /// <param name="chat">Its chat template; null: chosen from <paramref name="folder"/>'s tokenizer_config.json, or the plain template.</param>
    /// <param name="folder">The folder it came from, if any (generation_config.json's eos ids are read from there).</param>
    public CheckpointEngine(LlamaForCausalLM model, ITextTokenizer? tokenizer, IChatTemplate? chat = null, string? folder = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Tokenizer = tokenizer ?? chat?.Tokenizer;
        Folder = folder;
        this.chat = new Lazy<IChatTemplate>(() => chat ?? LoadChatTemplate());
        StopTokenIds = StopIds(model.Config, Tokenizer, chat, folder);
    }

    /// <summary>
    /// Loads a Hugging Face folder (config.json + safetensors; tokenizer files optional) in <paramref name="dtype"/> on
    /// <paramref name="device"/>. Missing folders, weights or config fail with the path and what is expected there.
    /// </summary>
    public static CheckpointEngine Load(string folder, ScalarType dtype, Device device)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"model folder '{folder}' does not exist; point --model at a Hugging Face model folder (config.json + safetensors).");
        }

        if (!File.Exists(Path.Combine(folder, HfFolder.ConfigFileName)))
        {
            throw new FileNotFoundException($"model folder '{folder}' has no {HfFolder.ConfigFileName}; point --model at a Hugging Face model folder.");
        }

        var tokenizer = TryLoadTokenizer(folder);
        TorchRuntime.Initialize();
        var model = LlamaForCausalLM.FromPretrained(folder, dtype, device);
        try
        {
            return new CheckpointEngine(model, tokenizer, chat: null, folder);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public LlamaForCausalLM Model { get; }

    /// <summary>The tokenizer, or null when the folder has none (token ids only).</summary>
    public ITextTokenizer? Tokenizer { get; }

    /// <summary>Where the checkpoint was loaded from (null for a model made in memory).</summary>
    public string? Folder { get; }

    /// <summary>
    /// Ids that end a completion: the model config's eos ids, generation_config.json's (Llama 3 instruct lists
    /// end-of-turn there), the tokenizer's end-of-turn token and the chat template's stop ids.
    /// </summary>
    public IReadOnlyList<int> StopTokenIds { get; }

    /// <summary>The chat template (tokenizer_config.json's, or the plain template); needs a tokenizer.</summary>
    /// <exception cref="InvalidOperationException">The folder has no tokenizer.</exception>
    /// <exception cref="NotSupportedException">Its chat template is one this project does not implement.</exception>
    public IChatTemplate Chat => chat.Value;

    /// <summary>The pad id for batching: the tokenizer's, else 0 (padding is masked, so any valid id works).</summary>
    public int PadTokenId => Tokenizer?.SpecialTokens.Padding is { } pad && pad < Model.Config.VocabSize ? pad : 0;

    /// <summary>Completion ids to text without special tokens; ids past the tokenizer's vocabulary (embedding padding) have no text.</summary>
    public string Decode(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokenizer = RequireTokenizer("decoding completions to text");
        var known = ids.Count(id => id < tokenizer.VocabularySize) == ids.Count ? ids : [.. ids.Where(id => id < tokenizer.VocabularySize)];
        return tokenizer.Decode(known, skipSpecialTokens: true);
    }

    /// <summary>Raw text to ids, special-token text recognised as Hugging Face's <c>encode</c> does (no BOS added).</summary>
    public int[] EncodeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return RequireTokenizer("a text prompt").Encode(text, SpecialTokenHandling.Recognize);
    }

    /// <summary>
    /// A text prompt and completion as ids for scoring, encoded separately as TRL does for DPO (special-token text
    /// recognised), BOS prepended to the prompt when the tokenizer has one and the prompt lacks it.
    /// </summary>
    /// <exception cref="ArgumentException">The prompt encodes to no tokens and there is no BOS to condition on.</exception>
    public CompletionSequence EncodeCompletion(string prompt, string completion)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(completion);
        var promptIds = EncodePrompt(prompt);
        return promptIds.Length > 0
            ? new CompletionSequence(promptIds, RequireTokenizer("text input").Encode(completion, SpecialTokenHandling.Recognize))
            : throw new ArgumentException("the prompt encodes to no tokens and the tokenizer has no BOS token; give a non-empty prompt.");
    }

    /// <summary>
    /// A text prompt as ids the way Hugging Face encodes one with special tokens added (what vLLM's completions
    /// endpoint does with a text prompt): special-token text recognised, BOS prepended when the tokenizer has one and
    /// the text does not start with it. Empty when the text is empty and there is no BOS.
    /// </summary>
    public int[] EncodePrompt(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var tokenizer = RequireTokenizer("text input");
        var promptIds = tokenizer.Encode(prompt, SpecialTokenHandling.Recognize);
        return tokenizer.SpecialTokens.BeginOfText is { } bos && (promptIds.Length == 0 || promptIds[0] != bos) ? [bos, .. promptIds] : promptIds;
    }

    /// <summary>The ids of <paramref name="conversation"/> through the chat template, ending where the assistant's reply starts.</summary>
    public int[] RenderChat(IReadOnlyList<ChatMessage> conversation) => Chat.Render(conversation, addGenerationPrompt: true);

    /// <summary>The ids of <paramref name="userText"/> as one user turn, ending where the model starts its reply.</summary>
    public int[] UserPromptIds(string userText) => Chat.UserPromptIds(userText);

    /// <summary>
    /// Completes every request (results in request order) with this checkpoint's stop ids unless
    /// <paramref name="options"/> names its own, and its decoder when it has a tokenizer.
    /// </summary>
    public IReadOnlyList<GenerationResult> Generate(
        IReadOnlyList<GenerationRequest> requests, GenerationOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CreateGenerator().Generate(requests, WithDefaults(options), progress, cancellationToken);
    }

    /// <summary>A generator over this checkpoint's model and decoder.</summary>
    public TokenGenerator CreateGenerator() => new(Model, Decoder);

    /// <summary>
    /// A continuous batcher over this checkpoint's model and decoder, for a caller that feeds requests as they come
    /// (<c>serve</c>); submit options through <see cref="WithDefaults"/> so they end at this checkpoint's stop ids.
    /// </summary>
    public ContinuousBatcher CreateBatcher(BatchingOptions options) => new(Model, options, Decoder);

    /// <summary><paramref name="options"/> with this checkpoint's stop ids when it names none.</summary>
    public GenerationOptions WithDefaults(GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with { EosTokenIds = options.EosTokenIds ?? StopTokenIds };
    }

    /// <summary>
    /// Summed completion log-probabilities (fp32 log-softmax), <paramref name="batchSize"/> sequences per forward pass.
    /// Sequences are scored shortest first so a batch wastes little on padding; results are in input order.
    /// </summary>
    public IReadOnlyList<CompletionScore> Score(IReadOnlyList<CompletionSequence> sequences, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var vocab = Model.Config.VocabSize;
        for (var i = 0; i < sequences.Count; i++)
        {
            if (sequences[i].PromptIds.Concat(sequences[i].CompletionIds).FirstOrDefault(id => id < 0 || id >= vocab, -1) is var bad and >= 0)
            {
                throw new ArgumentException($"sequence {i + 1} has token id {bad}, outside the model's vocabulary [0, {vocab}).");
            }
        }

        var order = Enumerable.Range(0, sequences.Count).OrderBy(i => sequences[i].Length).ToArray();
        var sorted = CompletionLogProbs.Score(Model, [.. order.Select(i => sequences[i])], batchSize, Model.Device);
        var scores = new CompletionScore[sequences.Count];
        for (var k = 0; k < order.Length; k++)
        {
            scores[order[k]] = sorted[k];
        }

        return scores;
    }

    public void Dispose() => Model.Dispose();

    private Func<IReadOnlyList<int>, string>? Decoder => Tokenizer is null ? null : Decode;

    private ITextTokenizer RequireTokenizer(string purpose) => Tokenizer
        ?? throw new InvalidOperationException(
            $"{purpose} needs a tokenizer, and {(Folder is null ? "this model has none" : $"the model folder '{Folder}' has none")}; use token ids or add the tokenizer files.");

    private IChatTemplate LoadChatTemplate()
    {
        var tokenizer = RequireTokenizer("the chat template");
        return Folder is null ? new PlainChatTemplate(tokenizer) : ChatTemplates.FromModelFolder(Folder, tokenizer);
    }

    private static ITextTokenizer? TryLoadTokenizer(string folder)
    {
        try
        {
            return TokenizerLoader.FromModelFolder(folder);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static int[] StopIds(LlamaConfig config, ITextTokenizer? tokenizer, IChatTemplate? chat, string? folder)
    {
        var ids = new List<int>(config.EosTokenIds);
        if (folder is not null)
        {
            ids.AddRange(HfFolder.ReadGenerationEosTokenIds(folder));
        }

        if (tokenizer?.SpecialTokens.EndOfTurn is { } endOfTurn)
        {
            ids.Add(endOfTurn);
        }

        if (chat is not null)
        {
            ids.AddRange(chat.StopTokenIds);
        }
        else if (folder is not null && tokenizer is not null)
        {
            // The chat template's own stop ids (Llama 3's <|eot_id|>, <|eom_id|>; the plain template's EOS), when it is one we know.
            try
            {
                ids.AddRange(ChatTemplates.FromModelFolder(folder, tokenizer).StopTokenIds);
            }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
            {
                // Raw-prompt use of a model whose chat template we do not implement: config and generation eos only.
            }
        }

        return [.. ids.Where(id => id >= 0 && id < config.VocabSize).Distinct()];
    }
}
