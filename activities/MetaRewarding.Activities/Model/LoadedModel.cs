using MetaRewarding.Modeling.Engine;
using MetaRewarding.Modeling.Llama;
using MetaRewarding.Tokenization;

namespace MetaRewarding.Activities.Model;

/// <summary>
/// A checkpoint in memory and the hash it was loaded under: the engine (model, tokenizer, chat template, stop ids;
/// see <see cref="CheckpointEngine"/>) the model steps sample through.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    public LoadedModel(string sha256, string folder, LlamaForCausalLM model, IChatTemplate chat)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(chat);
        Sha256 = sha256;
        Folder = folder;
        Engine = new CheckpointEngine(model, chat.Tokenizer, chat, folder);
    }

    /// <summary>The checkpoint's artifact hash (the cache key).</summary>
    public string Sha256 { get; }

    /// <summary>Where it was loaded from.</summary>
    public string Folder { get; }

    /// <summary>The model with its tokenizer, chat template and stop ids.</summary>
    public CheckpointEngine Engine { get; }

    public LlamaForCausalLM Model => Engine.Model;

    public IChatTemplate Chat => Engine.Chat;

    public ITextTokenizer Tokenizer => Chat.Tokenizer;

    /// <summary>Completion ids to text, without special tokens (the judge parses this text, never the prompt).</summary>
    public string Decode(IReadOnlyList<int> ids) => Engine.Decode(ids);

    /// <summary>The ids of <paramref name="userText"/> as one user turn, ending where the model starts its reply.</summary>
    public int[] PromptIds(string userText) => Engine.UserPromptIds(userText);

    /// <summary>The pad id for batching: the tokenizer's, else 0 (padding is masked, so any valid id works).</summary>
    public int PadTokenId => Engine.PadTokenId;

    public void Dispose() => Engine.Dispose();
}
