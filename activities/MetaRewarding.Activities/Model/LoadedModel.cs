using MetaRewarding.Modeling.Llama;
using MetaRewarding.Tokenization;

namespace MetaRewarding.Activities.Model;

/// <summary>A checkpoint in memory: the model, its tokenizer and chat template, and the hash it was loaded under.</summary>
public sealed class LoadedModel : IDisposable
{
    public LoadedModel(string sha256, string folder, LlamaForCausalLM model, IChatTemplate chat)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(chat);
        Sha256 = sha256;
        Folder = folder;
        Model = model;
        Chat = chat;
    }

    /// <summary>The checkpoint's artifact hash (the cache key).</summary>
    public string Sha256 { get; }

    /// <summary>Where it was loaded from.</summary>
    public string Folder { get; }

    public LlamaForCausalLM Model { get; }

    public IChatTemplate Chat { get; }

    public ITextTokenizer Tokenizer => Chat.Tokenizer;

    /// <summary>Completion ids to text, without special tokens (the judge parses this text, never the prompt).</summary>
    public string Decode(IReadOnlyList<int> ids) => Tokenizer.Decode(ids, skipSpecialTokens: true);

    /// <summary>The ids of <paramref name="userText"/> as one user turn, ending where the model starts its reply.</summary>
    public int[] PromptIds(string userText) => Chat.Render([ChatMessage.User(userText)], addGenerationPrompt: true);

    /// <summary>The pad id for batching: the tokenizer's, else 0 (padding is masked, so any valid id works).</summary>
    public int PadTokenId => Tokenizer.SpecialTokens.Padding ?? 0;

    public void Dispose() => Model.Dispose();
}
