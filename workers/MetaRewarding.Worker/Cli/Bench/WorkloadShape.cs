using MetaRewarding.Alignment.Elo;
using MetaRewarding.Modeling.Generation;

namespace MetaRewarding.Worker.Cli.Bench;

/// <summary>
/// A generation workload shaped like one step of a real iteration, on a random model: requests in groups that share a
/// prompt (or its first part), sampled at temperature 1 with an end-of-sequence set sized so that the model's own draws
/// end completions after about <see cref="MeanNewTokens"/> tokens (lengths vary as a real model's do), capped at
/// <see cref="MaxNewTokens"/>. Requests are listed group by group, as the model activities list them.
/// </summary>
/// <param name="Name">The bench mode.</param>
/// <param name="Groups">Prompts (actor) or responses (judge, meta-judge).</param>
/// <param name="PerGroup">Requests per group: K samples, N judgments, or battles.</param>
/// <param name="SharedTokens">Prompt tokens every request of a group shares.</param>
/// <param name="OwnTokens">Prompt tokens after the shared part that differ per request (the meta-judge's two judgments).</param>
/// <param name="MeanNewTokens">Target mean completion length.</param>
/// <param name="MaxNewTokens">Cap on a completion.</param>
internal sealed record WorkloadShape(string Name, int Groups, int PerGroup, int SharedTokens, int OwnTokens, int MeanNewTokens, int MaxNewTokens)
{
    /// <summary>
    /// The three shapes, scaled by <c>--prompt</c> P and <c>--new-tokens</c> N: actor = short prompt P, K = 7 samples,
    /// long varied outputs (mean N/2); judge = long prompt 8P (rubric + question + response), N = 11 samples, mean 0.6 N;
    /// meta-judge = the long part 8P shared by 22 battles of one response, then two judgments of 2P each, mean 0.4 N.
    /// </summary>
    public static WorkloadShape? For(string mode, BenchSettings settings) => mode switch
    {
        "actor" => new(mode, settings.Groups, 7, settings.Prompt, 0, settings.NewTokens / 2, settings.NewTokens),
        "judge" => new(mode, settings.Groups, 11, 8 * settings.Prompt, 0, settings.NewTokens * 3 / 5, settings.NewTokens),
        "meta-judge" => new(mode, settings.Groups, 22, 8 * settings.Prompt, 4 * settings.Prompt, settings.NewTokens * 2 / 5, settings.NewTokens),
        _ => null,
    };

    /// <summary>The requests, group by group, with distinct seeds.</summary>
    public IReadOnlyList<GenerationRequest> Requests(int vocabulary, int firstFreeId)
    {
        var random = new Random(17);
        int[] Tokens(int count) => [.. Enumerable.Range(0, count).Select(_ => random.Next(firstFreeId, vocabulary))];
        var requests = new List<GenerationRequest>(Groups * PerGroup);
        for (var g = 0; g < Groups; g++)
        {
            var shared = Tokens(SharedTokens);
            // The meta-judge's battles: judgments of one response paired in both orders, in BattlePlan's order.
            var judgments = Enumerable.Range(0, 11).Select(_ => Tokens(OwnTokens / 2)).ToArray();
            var battles = BattlePlan.Create(judgments.Length);
            for (var i = 0; i < PerGroup; i++)
            {
                var battle = battles[i % battles.Length];
                int[] own = OwnTokens == 0 ? [] : [.. judgments[battle.First], .. judgments[battle.Second]];
                requests.Add(new GenerationRequest { PromptIds = [.. shared, .. own], Seed = (g * 1000) + i });
            }
        }

        return requests;
    }

    /// <summary>Sampling at temperature 1; the lowest-numbered ids after the special ones end a completion, as many as make the mean length about right.</summary>
    public GenerationOptions Options(int vocabulary, int firstFreeId, int batchSize)
    {
        var endIds = Math.Max(1, (vocabulary - firstFreeId) / Math.Max(1, MeanNewTokens));
        return new GenerationOptions
        {
            Temperature = 1.0,
            MaxNewTokens = MaxNewTokens,
            EosTokenIds = [.. Enumerable.Range(firstFreeId, endIds)],
            BatchSize = batchSize,
        };
    }
}
