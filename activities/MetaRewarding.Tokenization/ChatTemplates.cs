namespace MetaRewarding.Tokenization;

/// <summary>Chooses the chat template of a model folder.</summary>
public static class ChatTemplates
{
    /// <summary>
    /// From tokenizer_config.json's chat_template: one using &lt;|start_header_id|&gt; is Llama 3's
    /// (with Llama 3.1's system preamble when it mentions "Cutting Knowledge Date");
    /// no template (or no tokenizer_config.json) means the plain template. Any other template
    /// (ChatML, Mistral, ...) is refused rather than guessed.
    /// </summary>
    public static IChatTemplate FromModelFolder(string modelFolder, ITextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var template = TokenizerLoader.ReadConfig(modelFolder).ChatTemplate;
        if (template is null)
        {
            return new PlainChatTemplate(tokenizer);
        }

        if (template.Contains(Llama3Tokenizer.StartHeader, StringComparison.Ordinal) && template.Contains(Llama3Tokenizer.EndOfTurn, StringComparison.Ordinal))
        {
            // Llama 3.1+ templates write a system turn with the knowledge cut-off and a date.
            return template.Contains("Cutting Knowledge Date", StringComparison.Ordinal)
                ? new Llama3ChatTemplate(tokenizer, Llama3ChatTemplate.Llama31SystemPreamble)
                : new Llama3ChatTemplate(tokenizer);
        }

        var excerpt = template.Length <= 80 ? template : template[..80] + "...";
        throw new NotSupportedException(
            $"{Path.Combine(modelFolder, TokenizerLoader.HfConfigFile)} has a chat_template this project does not implement (only Llama 3's, or none for the plain template): {excerpt}");
    }
}
