namespace MetaRewarding.Sandbox.Sft;

/// <summary>
/// One SFT pair as text: the rendered prompt (template applied, no BOS) and the completion the loss is on (no
/// EOS). The model layer adds BOS/EOS with the plain chat template.
/// </summary>
public sealed record SftExample(SftExampleKind Kind, string Prompt, string Completion);
