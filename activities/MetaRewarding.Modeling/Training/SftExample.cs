namespace MetaRewarding.Modeling.Training;

/// <summary>One supervised example as token ids: the loss covers <see cref="CompletionIds"/> only.</summary>
public sealed record SftExample(IReadOnlyList<int> PromptIds, IReadOnlyList<int> CompletionIds);
