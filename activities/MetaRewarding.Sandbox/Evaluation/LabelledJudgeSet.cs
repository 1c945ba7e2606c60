using MetaRewarding.Sandbox.Sft;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>
/// A fixed, labelled set of responses for judge evaluation and the calibration gate: evaluation-split tasks,
/// responses stratified over true scores 0–5 (the same pool the judge demonstrations use), deterministic from
/// <see cref="SandboxSettings.DataSeed"/>. Judge agreement should also be measured on the model's own samples
/// (on-policy), which the demo generates itself; this set is the fixed, comparable yardstick.
/// </summary>
public static class LabelledJudgeSet
{
    /// <summary>The first <paramref name="count"/> items of the set (the first items never change as count grows).</summary>
    public static IReadOnlyList<LabelledResponse> Create(SandboxSettings settings, int count, DatasetSplit split = DatasetSplit.Evaluation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var tasks = new TaskSource(settings);
        var items = new List<LabelledResponse>(count);
        for (var i = 0; i < count; i++)
        {
            var random = SandboxRandom.For(settings.DataSeed, "labelled/" + split, i);
            var task = tasks.Sample(split, random);
            var response = ResponseFactory.PoolResponse(task, random);
            items.Add(new LabelledResponse(task, response, task.Marks(response)));
        }

        return items;
    }
}
