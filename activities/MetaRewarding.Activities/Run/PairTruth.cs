using MetaRewarding.Activities.Sources;
using MetaRewarding.Alignment.Datasets;

namespace MetaRewarding.Activities.Run;

/// <summary>
/// <c>iteration-{t}/pair-truth.json</c>, for a source with ground truth (the sandbox): how many of the iteration's
/// preference pairs point the right way. Actor pairs: the chosen response's true score is higher than the
/// rejected one's. Judge pairs: the chosen judgment is closer to the truth (<see cref="IRunOracle.CompareJudgments"/>).
/// Ties are counted apart: precision is right / all pairs, so a tie counts against it.
/// </summary>
public sealed record PairTruth(long ActorPairs, long ActorRight, long ActorTied, long JudgePairs, long JudgeRight, long JudgeTied)
{
    public const string FileName = "pair-truth.json";

    /// <summary>Share of actor pairs whose chosen truly beats the rejected; null without pairs.</summary>
    public double? ActorPrecision => ActorPairs == 0 ? null : (double)ActorRight / ActorPairs;

    /// <summary>Share of judge pairs whose chosen judgment is truly better; null without pairs.</summary>
    public double? JudgePrecision => JudgePairs == 0 ? null : (double)JudgeRight / JudgePairs;

    /// <summary>Checks every pair of <paramref name="pairsFile"/> against <paramref name="oracle"/>.</summary>
    /// <param name="oracle">The source's ground truth.</param>
    /// <param name="pairsFile">The iteration's <c>pairs.jsonl</c>.</param>
    /// <param name="prompts">Prompt id → the prompt pool's text.</param>
    /// <param name="responses">Response id → response text (what judge pairs judged).</param>
    public static PairTruth Measure(IRunOracle oracle, string pairsFile, IReadOnlyDictionary<string, string> prompts, IReadOnlyDictionary<string, string> responses)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        long actor = 0, actorRight = 0, actorTied = 0, judge = 0, judgeRight = 0, judgeTied = 0;
        foreach (var line in JsonlReader.ReadFile(pairsFile, DatasetJsonContext.Default.PreferencePairRecord, new MalformedLineLog(Alignment.Configuration.MalformedLinePolicy.Fatal)))
        {
            var pair = line.Record;
            var prompt = prompts[pair.PromptId];
            if (pair.Kind == PairKind.Actor)
            {
                var margin = oracle.Score(prompt, pair.Chosen) - oracle.Score(prompt, pair.Rejected);
                actor++;
                actorRight += margin > 0 ? 1 : 0;
                actorTied += margin == 0 ? 1 : 0;
            }
            else
            {
                var order = oracle.CompareJudgments(prompt, responses[pair.ResponseId!], pair.Chosen, pair.Rejected);
                judge++;
                judgeRight += order < 0 ? 1 : 0;
                judgeTied += order == 0 ? 1 : 0;
            }
        }

        return new PairTruth(actor, actorRight, actorTied, judge, judgeRight, judgeTied);
    }
}
