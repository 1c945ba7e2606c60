using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Tokenization;

namespace MetaRewarding.Activities.Model;

/// <summary>What a trained copy of a checkpoint keeps from the folder it started from.</summary>
internal static class ModelFolders
{
    /// <summary>Tokenizer and chat-template files (and the generation config, whose eos list may name end-of-turn).</summary>
    private static readonly string[] TokenizerFiles =
    [
        CharacterTokenizerFile.FileName, TokenizerLoader.HfTokenizerFile, TokenizerLoader.TiktokenModelFile, TokenizerLoader.HfConfigFile,
        "special_tokens_map.json", HfFolder.GenerationConfigFileName,
    ];

    /// <summary>Copies the tokenizer files of <paramref name="source"/> that exist into <paramref name="destination"/>, after the weights were saved there.</summary>
    public static void CopyTokenizerFiles(string source, string destination)
    {
        foreach (var name in TokenizerFiles)
        {
            var from = Path.Combine(source, name);
            if (File.Exists(from))
            {
                File.Copy(from, Path.Combine(destination, name), overwrite: true);
            }
        }
    }
}
