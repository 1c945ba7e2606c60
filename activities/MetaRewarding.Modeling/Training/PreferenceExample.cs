namespace MetaRewarding.Modeling.Training;

/// <summary>One DPO pair as token ids (tokenization and chat templates happen before training).</summary>
public sealed record PreferenceExample(IReadOnlyList<int> PromptIds, IReadOnlyList<int> ChosenIds, IReadOnlyList<int> RejectedIds);
