namespace MetaRewarding.Tokenization;

/// <summary>Picks and loads the tokenizer of a model folder from the files it holds.</summary>
public static class TokenizerLoader
{
    public const string HfTokenizerFile = "tokenizer.json";
    public const string TiktokenModelFile = "tokenizer.model";
    public const string HfConfigFile = "tokenizer_config.json";

    /// <summary>
    /// Looks, in this order, for: <c>metarewarding-tokenizer.json</c> (the project's character
    /// tokenizer, or a marker naming gpt2 / cl100k_base); <c>tokenizer.json</c> (Hugging Face
    /// byte-level BPE: Llama 3 / 3.1, GPT-2); <c>tokenizer.model</c> in tiktoken format (Meta's
    /// Llama 3 release). <c>tokenizer_config.json</c>, when present, names BOS / EOS / PAD.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">None of the files above is in the folder (callers may treat this as "no tokenizer").</exception>
    /// <exception cref="NotSupportedException">A file is there but of a kind this project does not implement (SentencePiece, Unigram, another split regex).</exception>
    /// <exception cref="InvalidDataException">A file is malformed; the message names the file and the problem.</exception>
    public static ITextTokenizer FromModelFolder(string modelFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelFolder);
        if (!Directory.Exists(modelFolder))
        {
            throw new DirectoryNotFoundException($"Model folder '{modelFolder}' does not exist.");
        }

        var projectFile = Path.Combine(modelFolder, CharacterTokenizerFile.FileName);
        if (File.Exists(projectFile))
        {
            return CharacterTokenizerFile.Load(projectFile);
        }

        var config = ReadConfig(modelFolder);
        var tokenizerJson = Path.Combine(modelFolder, HfTokenizerFile);
        if (File.Exists(tokenizerJson))
        {
            return Llama3Tokenizer.FromTokenizerJson(tokenizerJson, config);
        }

        var tokenizerModel = Path.Combine(modelFolder, TiktokenModelFile);
        if (File.Exists(tokenizerModel))
        {
            if (!TiktokenRankFile.LooksLikeTiktoken(tokenizerModel))
            {
                throw new NotSupportedException(
                    $"{tokenizerModel} is not a tiktoken rank file (Llama 3 format); SentencePiece models (Llama 2) are not supported. Provide a tokenizer.json instead.");
            }

            return Llama3Tokenizer.FromTiktokenModel(tokenizerModel, config);
        }

        throw new FileNotFoundException(
            $"No tokenizer found in model folder '{Path.GetFullPath(modelFolder)}'. Looked for {CharacterTokenizerFile.FileName} (project character/OpenAI tokenizer), " +
            $"{HfTokenizerFile} (Hugging Face byte-level BPE, e.g. Llama 3) and {TiktokenModelFile} (tiktoken ranks, Meta's Llama 3 release). " +
            "Copy the tokenizer files of the checkpoint into the folder, or save one with CharacterTokenizerFile.");
    }

    /// <summary>tokenizer_config.json of the folder, or an empty config when absent.</summary>
    public static HfTokenizerConfig ReadConfig(string modelFolder)
    {
        var path = Path.Combine(modelFolder, HfConfigFile);
        return File.Exists(path) ? HfTokenizerConfig.Read(path) : HfTokenizerConfig.Empty;
    }
}
